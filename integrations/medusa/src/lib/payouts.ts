/**
 * Money out: Peifu's payout worker posts each payout here (PEIFU_GATEWAY_URL); it is executed as a
 * Medusa refund on the order's captured payment through refundPaymentWorkflow.
 *
 * Exactly once: the refund carries Peifu's Idempotency-Key in its note; a retry with the same key
 * finds that refund and answers its id, and calls with the same key are serialized in-process.
 */
import { ContainerRegistrationKeys, Modules } from "@medusajs/framework/utils"
import { refundPaymentWorkflow } from "@medusajs/medusa/core-flows"
import { config } from "./config"
import { fromFen, peifu, toFen } from "./peifu"

type Container = { resolve: (key: string) => any }

export class PayoutRefused extends Error {
  constructor(
    public status: number,
    public code: string,
    message: string
  ) {
    super(message)
  }
}

export type PayoutRequest = { key: string; payee: string; amount_fen: number; memo: string }

const inFlight = new Map<string, Promise<string>>()

export function executePayout(container: Container, request: PayoutRequest): Promise<string> {
  const running = inFlight.get(request.key)
  if (running) return running
  const promise = execute(container, request).finally(() => inFlight.delete(request.key))
  inFlight.set(request.key, promise)
  return promise
}

function noteOf(key: string, caseId: string, kind: string): string {
  return `peifu:${key} case ${caseId} ${kind}`
}

/** What the payout is for: the ledger transaction named in the key (peifu-payout-<txn id>). */
async function describe(request: PayoutRequest) {
  const caseId = /case (\d+)/.exec(request.memo)?.[1]
  if (!caseId) throw new PayoutRefused(422, "not_a_case_payout", `payout ${request.key} names no Peifu case`)
  const peifuCase = await peifu("GET", `/cases/${caseId}`)
  const txnId = Number(/(\d+)$/.exec(request.key)?.[1])
  const txn = (peifuCase.money?.transactions ?? []).find((t: any) => t.id === txnId)
  const kind: string = txn?.kind ?? "refund"
  let method = "original_payment"
  if (kind.startsWith("compensation")) {
    // the ledger kind is compensation:<rule>; the case lists each compensation with its payout method
    const rule = kind.split(":")[1]
    const compensations: any[] = peifuCase.money?.compensations ?? []
    const match = compensations.find((c) => c.rule === rule) ?? compensations.find((c) => c.amount_fen === request.amount_fen)
    method = match?.payout_method ?? method
  }
  return { caseId, orderId: String(peifuCase.order_id), kind, method }
}

async function recordUnsupported(container: Container, orderId: string, entry: Record<string, unknown>) {
  const orderModule = container.resolve(Modules.ORDER)
  const order = await orderModule.retrieveOrder(orderId, { select: ["id", "metadata"] })
  const metadata = { ...(order.metadata ?? {}) }
  metadata.peifu_unsupported_payouts = { ...(metadata.peifu_unsupported_payouts ?? {}), [String(entry.key)]: entry }
  await orderModule.updateOrders(orderId, { metadata })
}

async function payments(container: Container, orderId: string): Promise<any[]> {
  const query = container.resolve(ContainerRegistrationKeys.QUERY)
  const { data } = await query.graph({
    entity: "order",
    fields: [
      "id",
      "payment_collections.payments.id",
      "payment_collections.payments.amount",
      "payment_collections.payments.captured_at",
      "payment_collections.payments.captures.amount",
      "payment_collections.payments.refunds.id",
      "payment_collections.payments.refunds.amount",
      "payment_collections.payments.refunds.note",
    ],
    filters: { id: orderId },
  })
  if (!data[0]) throw new PayoutRefused(404, "order_not_found", `Medusa has no order ${orderId}`)
  return (data[0].payment_collections ?? []).flatMap((pc: any) => pc.payments ?? [])
}

async function execute(container: Container, request: PayoutRequest): Promise<string> {
  const { caseId, orderId, kind, method } = await describe(request)
  const found = (all: any[]) =>
    all.flatMap((p) => p.refunds ?? []).find((r: any) => String(r.note ?? "").startsWith(`peifu:${request.key} `))
  const before = found(await payments(container, orderId))
  if (before) return before.id // a retry: the refund exists, answer the same reference

  const how = kind.startsWith("compensation") ? config().compensation[method as "points"] ?? "unsupported" : "refund"
  if (how !== "refund") {
    const message =
      `Peifu pays this compensation as ${method}; this Medusa store has no ${method}. ` +
      `Pay it outside Medusa or map it (plugin option compensation.${method}).`
    await recordUnsupported(container, orderId, { key: request.key, case_id: caseId, method, amount_fen: request.amount_fen, message })
    throw new PayoutRefused(422, "unsupported_payout_method", message)
  }
  const candidates = await payments(container, orderId)
  const payment = candidates.find((p) => {
    const captured = (p.captures ?? []).reduce((s: number, c: any) => s + toFen(c.amount), 0)
    const refunded = (p.refunds ?? []).reduce((s: number, r: any) => s + toFen(r.amount), 0)
    return captured - refunded >= request.amount_fen
  })
  if (!payment) {
    const message =
      `Medusa cannot refund ${request.amount_fen} (minor units) on order ${orderId}: more than was captured ` +
      `and not yet refunded. Pay it outside Medusa.`
    await recordUnsupported(container, orderId, { key: request.key, case_id: caseId, method, amount_fen: request.amount_fen, message })
    throw new PayoutRefused(422, "exceeds_refundable", message)
  }
  await refundPaymentWorkflow(container as any).run({
    input: {
      payment_id: payment.id,
      amount: fromFen(request.amount_fen),
      created_by: "peifu",
      note: noteOf(request.key, caseId, kind),
    } as any,
  })
  const after = found(await payments(container, orderId))
  if (!after) throw new PayoutRefused(500, "refund_not_found", `the refund for ${request.key} was not recorded`)
  return after.id
}
