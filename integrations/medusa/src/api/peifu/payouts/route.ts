/**
 * Money out: the payment gateway Peifu's payout worker calls (set PEIFU_GATEWAY_URL to
 * https://<medusa>/peifu/payouts and PEIFU_GATEWAY_TOKEN to the plugin's gatewayToken).
 *
 *   POST {payee, amount_fen, memo} + Idempotency-Key  →  {reference: <Medusa refund id>}
 */
import type { MedusaRequest, MedusaResponse } from "@medusajs/framework/http"
import { configureFrom } from "../../../lib/config"
import { executePayout, PayoutRefused } from "../../../lib/payouts"

export async function POST(req: MedusaRequest, res: MedusaResponse) {
  const settings = configureFrom(req.scope)
  const auth = String(req.headers.authorization ?? "")
  if (!settings.gatewayToken || auth !== `Bearer ${settings.gatewayToken}`) {
    res.status(401).json({ code: "unauthenticated", message: "Send the gateway token as Authorization: Bearer." })
    return
  }
  const key = String(req.headers["idempotency-key"] ?? "")
  const body = (req.body ?? {}) as any
  if (!key || !Number.isInteger(body.amount_fen) || body.amount_fen <= 0) {
    res.status(400).json({ code: "bad_payout", message: "An Idempotency-Key and a positive integer amount_fen are required." })
    return
  }
  try {
    const reference = await executePayout(req.scope, {
      key,
      payee: String(body.payee ?? ""),
      amount_fen: body.amount_fen,
      memo: String(body.memo ?? ""),
    })
    res.status(200).json({ reference })
  } catch (error) {
    if (error instanceof PayoutRefused) {
      res.status(error.status).json({ code: error.code, message: error.message })
      return
    }
    throw error
  }
}
