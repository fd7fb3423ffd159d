/**
 * Admin: the seller's answer to a case, sent to Peifu as the order's shop
 * (POST /admin/peifu/cases/:id/{agree|refuse|propose|confirm-return|reject-return}, body {order_id, ...}).
 */
import type { MedusaRequest, MedusaResponse } from "@medusajs/framework/http"
import { sellerActor } from "../../../../../../lib/cases"
import { configureFrom } from "../../../../../../lib/config"
import { loadOrder } from "../../../../../../lib/orders"
import { peifu, PeifuError } from "../../../../../../lib/peifu"

const ACTIONS = new Set(["agree", "refuse", "propose", "confirm-return", "reject-return"])

export async function POST(req: MedusaRequest, res: MedusaResponse) {
  configureFrom(req.scope)
  const { id, action } = req.params
  const { order_id, ...payload } = (req.body ?? {}) as any
  const order = order_id ? await loadOrder(req.scope, String(order_id)) : undefined
  if (!order || !(String(id) in (order.metadata?.peifu_cases ?? {}))) {
    res.status(404).json({ code: "case_not_found", message: "No such case on this order." })
    return
  }
  if (!ACTIONS.has(action)) {
    res.status(404).json({ code: "unknown_action", message: `Actions: ${[...ACTIONS].join(", ")}.` })
    return
  }
  try {
    const answer = await peifu(
      "POST",
      `/cases/${id}/${action}`,
      Object.keys(payload).length ? payload : undefined,
      req.headers["idempotency-key"] as string | undefined,
      sellerActor(order)
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
