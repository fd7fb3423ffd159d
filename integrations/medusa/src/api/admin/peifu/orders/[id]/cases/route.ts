/**
 * Admin: the Peifu cases of a Medusa order with their state, phase, deadline and money
 * (GET /admin/peifu/orders/:id/cases). The order page widget reads this route.
 */
import type { MedusaRequest, MedusaResponse } from "@medusajs/framework/http"
import { configureFrom } from "../../../../../../lib/config"
import { loadOrder } from "../../../../../../lib/orders"
import { peifu } from "../../../../../../lib/peifu"

export async function GET(req: MedusaRequest, res: MedusaResponse) {
  configureFrom(req.scope)
  const order = await loadOrder(req.scope, req.params.id)
  if (!order) {
    res.status(404).json({ code: "order_not_found", message: `No order ${req.params.id}.` })
    return
  }
  const ids = Object.keys(order.metadata?.peifu_cases ?? {})
  const cases = await Promise.all(
    ids.map(async (id) => {
      const c = await peifu("GET", `/cases/${id}`)
      return {
        id: c.id,
        case_type: c.case_type,
        reason: c.reason,
        state: c.state,
        phase: c.phase,
        deadline: nextDeadline(c.deadlines ?? []),
        deadlines: c.deadlines ?? [],
        allowed_actions: c.allowed_actions ?? [],
        refunded_fen: c.money?.refunded_fen ?? 0,
        compensation_fen: c.money?.compensation_fen ?? 0,
        payouts: c.money?.payouts ?? [],
      }
    })
  )
  res.json({
    order_id: order.id,
    cases,
    refunds: order.metadata?.peifu_refunds ?? {},
    unsupported_payouts: order.metadata?.peifu_unsupported_payouts ?? {},
  })
}

/** The pending deadline due first: what happens next if nobody acts (e.g. the seller's answer → agree). */
function nextDeadline(deadlines: any[]) {
  const pending = deadlines
    .filter((d) => d.status === "pending")
    .sort((a, b) => String(a.due_at?.utc).localeCompare(String(b.due_at?.utc)))
  const d = pending[0]
  return d ? { kind: d.kind, due_at: d.due_at?.utc, local: d.due_at?.local, when_due: d.action_when_due } : null
}
