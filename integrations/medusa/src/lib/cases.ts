/** Requests: Medusa-side requests become Peifu cases; each party's action is sent as that party. */
import { Modules } from "@medusajs/framework/utils"
import { buyerId, ensureOrder, lineNo, shopId } from "./orders"
import { ident, peifu } from "./peifu"

type Container = { resolve: (key: string) => any }

export const CASE_TYPES = [
  "refund_only",
  "return_and_refund",
  "exchange",
  "repair",
  "reship",
  "partial_refund",
] as const

export type CaseRequest = {
  items: { id: string; refund_amount?: number }[]
  case_type: string
  reason: string
  description?: string
}

/** Remember the case on the Medusa order (metadata.peifu_cases), for the admin route and webhooks. */
export async function rememberCase(container: Container, order: any, peifuCase: any): Promise<void> {
  const orderModule = container.resolve(Modules.ORDER)
  const fresh = await orderModule.retrieveOrder(order.id, { select: ["id", "metadata"] })
  const cases = { ...((fresh.metadata?.peifu_cases as Record<string, any>) ?? {}) }
  cases[String(peifuCase.id)] = { ...(cases[String(peifuCase.id)] ?? {}), type: peifuCase.case_type, state: peifuCase.state }
  await orderModule.updateOrders(order.id, { metadata: { ...(fresh.metadata ?? {}), peifu_cases: cases } })
}

export async function openCase(
  container: Container,
  order: any,
  request: CaseRequest,
  idempotencyKey?: string
): Promise<any> {
  await ensureOrder(container, order)
  const lines = request.items.map((item) => {
    const no = lineNo(order, item.id)
    if (!no) throw new Error(`item ${item.id} is not on order ${order.id}`)
    return item.refund_amount === undefined
      ? { line_no: no }
      : { line_no: no, refund_amount_fen: Math.round(item.refund_amount * 100) }
  })
  const body = {
    order_id: ident(order.id),
    lines,
    case_type: request.case_type,
    reason: request.reason,
    description: request.description ?? "",
  }
  const opened = await peifu("POST", "/cases", body, idempotencyKey, `buyer:${buyerId(order)}`)
  await rememberCase(container, order, opened)
  return opened
}

export function buyerActor(order: any): string {
  return `buyer:${buyerId(order)}`
}

export function sellerActor(order: any): string {
  return `seller:${shopId(order)}`
}
