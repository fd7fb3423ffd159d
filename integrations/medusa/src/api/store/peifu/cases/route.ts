/**
 * Requests from the storefront: POST opens a Peifu case for a Medusa order; GET lists the order's cases.
 *
 *   POST /store/peifu/cases {order_id, email?, items: [{id, refund_amount?}], case_type, reason, description?}
 *
 * The customer is the order's customer (logged in), or a guest who gives the order's email.
 */
import type { MedusaRequest, MedusaResponse } from "@medusajs/framework/http"
import { CASE_TYPES, openCase } from "../../../../lib/cases"
import { configureFrom } from "../../../../lib/config"
import { loadOrder } from "../../../../lib/orders"
import { peifu, PeifuError } from "../../../../lib/peifu"

export async function ownedOrder(req: MedusaRequest, orderId: string, email: unknown): Promise<any | undefined> {
  const order = orderId ? await loadOrder(req.scope, orderId) : undefined
  if (!order) return undefined
  const customerId = (req as any).auth_context?.actor_id
  if (customerId && order.customer_id === customerId) return order
  if (typeof email === "string" && email && email.toLowerCase() === String(order.email ?? "").toLowerCase()) return order
  return undefined
}

export async function POST(req: MedusaRequest, res: MedusaResponse) {
  configureFrom(req.scope)
  const body = (req.body ?? {}) as any
  const order = await ownedOrder(req, String(body.order_id ?? ""), body.email)
  if (!order) {
    res.status(404).json({ code: "order_not_found", message: "No such order for this customer." })
    return
  }
  if (!CASE_TYPES.includes(body.case_type) || !Array.isArray(body.items) || body.items.length === 0) {
    res.status(400).json({ code: "bad_request", message: `case_type is one of ${CASE_TYPES.join(", ")}; items name the order's line items.` })
    return
  }
  try {
    const opened = await openCase(req.scope, order, body, req.headers["idempotency-key"] as string | undefined)
    res.status(201).json({ case: opened })
  } catch (error) {
    if (error instanceof PeifuError) {
      res.status(error.status < 500 ? error.status : 502).json({ code: error.code, message: error.message })
      return
    }
    throw error
  }
}

export async function GET(req: MedusaRequest, res: MedusaResponse) {
  configureFrom(req.scope)
  const order = await ownedOrder(req, String(req.query.order_id ?? ""), req.query.email)
  if (!order) {
    res.status(404).json({ code: "order_not_found", message: "No such order for this customer." })
    return
  }
  const ids = Object.keys(order.metadata?.peifu_cases ?? {})
  const cases = await Promise.all(ids.map((id) => peifu("GET", `/cases/${id}`)))
  res.json({ cases })
}
