/**
 * Events back: Peifu's webhooks (Standard Webhooks signatures) drive the Medusa side.
 *
 *   case.*            → the case's state is kept on the order (metadata.peifu_cases)
 *   case.agreed       → for cases where goods come back: the Medusa return is created (once)
 *   case.refunded     → the refund is recorded on the order (metadata.peifu_refunds)
 *   payout.failed     → the failure is recorded on the order (metadata.peifu_payout_errors)
 *
 * Delivery is at least once: every handler is idempotent (keyed by case id / event id).
 */
import type { MedusaRequest, MedusaResponse } from "@medusajs/framework/http"
import { ContainerRegistrationKeys, Modules } from "@medusajs/framework/utils"
import { config, configureFrom } from "../../../lib/config"
import { loadOrder, serialized } from "../../../lib/orders"
import { peifu } from "../../../lib/peifu"
import { createReturn } from "../../../lib/returns"
import { verify } from "../../../lib/webhooks"

const GOODS_BACK = new Set(["return_and_refund", "exchange", "repair"])

async function updateMetadata(container: any, orderId: string, change: (metadata: Record<string, any>) => void) {
  const orderModule = container.resolve(Modules.ORDER)
  const order = await orderModule.retrieveOrder(orderId, { select: ["id", "metadata"] })
  const metadata = { ...(order.metadata ?? {}) }
  change(metadata)
  await orderModule.updateOrders(orderId, { metadata })
}

export async function POST(req: MedusaRequest, res: MedusaResponse) {
  const settings = configureFrom(req.scope)
  const raw = (req as any).rawBody ?? JSON.stringify(req.body)
  if (!verify(settings.webhookSecret, req.headers as any, raw)) {
    res.status(401).json({ code: "bad_signature", message: "The webhook signature does not verify." })
    return
  }
  const event = typeof req.body === "object" && req.body ? (req.body as any) : JSON.parse(String(raw))
  let orderId: string | undefined = event.data?.case?.order_id
  if (!orderId && event.type === "compensation.paid") {
    orderId = (await peifu("GET", `/cases/${event.data.compensation.case_id}`)).order_id
  }
  const order = orderId ? await loadOrder(req.scope, orderId) : undefined
  if (!order) {
    res.status(200).json({ ignored: true }) // not a Medusa order of this store
    return
  }
  await serialized(order.id, () => handle(req.scope, event, order))
  res.status(200).json({ ok: true })
}

async function handle(scope: any, event: any, order: any) {
  const logger = scope.resolve(ContainerRegistrationKeys.LOGGER)
  const peifuCase = event.data.case
  if (String(event.type).startsWith("case.") && peifuCase) {
    await updateMetadata(scope, order.id, (m) => {
      const cases = { ...(m.peifu_cases ?? {}) }
      const known = cases[String(peifuCase.id)] ?? {}
      // at least once, and replays: an older snapshot never overwrites a newer one
      if (known.updated_at && String(known.updated_at) > String(event.timestamp)) return
      cases[String(peifuCase.id)] = {
        ...known,
        type: peifuCase.case_type,
        reason: peifuCase.reason,
        state: peifuCase.state,
        deadline: peifuCase.deadline ?? null,
        updated_at: event.timestamp,
      }
      m.peifu_cases = cases
    })
  }
  if (event.type === "case.agreed" && GOODS_BACK.has(peifuCase.case_type)) {
    const created = await createReturn(scope, order, peifuCase)
    logger.info(`peifu: case ${peifuCase.id} agreed → Medusa return ${created?.id}`)
  }
  if (event.type === "compensation.paid") {
    // Peifu pays original_payment compensation through a payout (→ /peifu/payouts); points, coupons and
    // vouchers stay in Peifu's ledger: Medusa has no such thing, so the order says so, plainly.
    const c = event.data.compensation
    const how = config().compensation[c.payout_method as "points"] ?? "unsupported"
    await updateMetadata(scope, order.id, (m) => {
      m.peifu_compensations = {
        ...(m.peifu_compensations ?? {}),
        [String(c.id)]: {
          case_id: String(c.case_id),
          rule: c.rule,
          amount_fen: c.amount_fen,
          payout_method: c.payout_method,
          in_medusa:
            c.payout_method === "original_payment" && how === "refund"
              ? "paid as a Medusa refund (within what was captured)"
              : `not paid by Medusa: this store has no ${c.payout_method}`,
        },
      }
    })
  }
  if (event.type === "case.refunded") {
    await updateMetadata(scope, order.id, (m) => {
      const refunds = { ...(m.peifu_refunds ?? {}) }
      refunds[String(peifuCase.id)] = { amount_fen: peifuCase.refund_amount_fen, at: event.timestamp, event_id: event.id }
      m.peifu_refunds = refunds
    })
  }
}
