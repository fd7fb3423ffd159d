/**
 * The buyer's own actions on a case, from the storefront, sent to Peifu as that buyer:
 *   POST /store/peifu/cases/:id/escalate          (ask the platform to intervene)
 *   POST /store/peifu/cases/:id/ship-return       {courier, tracking_no}
 *   POST /store/peifu/cases/:id/withdraw
 * Body also carries order_id (+ email for guests).
 */
import type { MedusaRequest, MedusaResponse } from "@medusajs/framework/http"
import { buyerActor } from "../../../../../../lib/cases"
import { configureFrom } from "../../../../../../lib/config"
import { peifu, PeifuError } from "../../../../../../lib/peifu"
import { ownedOrder } from "../../route"

const ACTIONS = new Set(["escalate", "ship-return", "withdraw", "accept-proposal"])

export async function POST(req: MedusaRequest, res: MedusaResponse) {
  configureFrom(req.scope)
  const { id, action } = req.params
  const body = (req.body ?? {}) as any
  const order = await ownedOrder(req, String(body.order_id ?? ""), body.email)
  if (!order || !(String(id) in (order.metadata?.peifu_cases ?? {}))) {
    res.status(404).json({ code: "case_not_found", message: "No such case on this customer's order." })
    return
  }
  if (!ACTIONS.has(action)) {
    res.status(404).json({ code: "unknown_action", message: `Actions: ${[...ACTIONS].join(", ")}.` })
    return
  }
  const { order_id: _o, email: _e, ...payload } = body
  try {
    const answer = await peifu(
      "POST",
      `/cases/${id}/${action}`,
      Object.keys(payload).length ? payload : undefined,
      req.headers["idempotency-key"] as string | undefined,
      buyerActor(order)
    )
    res.json({ case: answer })
  } catch (error) {
    if (error instanceof PeifuError) {
      res.status(error.status < 500 ? error.status : 502).json({ code: error.code, message: error.message })
      return
    }
    throw error
  }
}
