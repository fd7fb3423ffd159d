/**
 * A Medusa return received (the goods are back) → Peifu: the parcel shipped back (as the buyer, if the
 * storefront did not report it), signed for (as the platform), and confirmed (as the seller), which
 * makes Peifu refund — the refund then comes back to Medusa as a payout (see lib/payouts.ts).
 */
import type { SubscriberArgs, SubscriberConfig } from "@medusajs/framework"
import { ContainerRegistrationKeys } from "@medusajs/framework/utils"
import { buyerActor, sellerActor } from "../lib/cases"
import { configureFrom } from "../lib/config"
import { loadOrder, serialized } from "../lib/orders"
import { peifu } from "../lib/peifu"

export default async function peifuReturnReceived({
  event,
  container,
}: SubscriberArgs<{ order_id: string; return_id: string }>) {
  configureFrom(container)
  const query = container.resolve(ContainerRegistrationKeys.QUERY)
  const { data } = await query.graph({
    entity: "return",
    fields: ["id", "order_id", "metadata"],
    filters: { id: event.data.return_id },
  })
  const caseId = data[0]?.metadata?.peifu_case_id
  if (!caseId) return // a return Peifu did not ask for
  await serialized(data[0].order_id, () => report(container, data[0].order_id, data[0].id, String(caseId)))
}

async function report(container: any, orderId: string, returnId: string, caseId: string) {
  const logger = container.resolve(ContainerRegistrationKeys.LOGGER)
  const order = await loadOrder(container, orderId)
  if (!order) return
  let current = await peifu("GET", `/cases/${caseId}`)
  if (current.state === "awaiting_return") {
    current = await peifu(
      "POST",
      `/cases/${caseId}/ship-return`,
      { courier: "medusa", tracking_no: returnId },
      `medusa-${returnId}-shipped`,
      buyerActor(order)
    )
  }
  if (current.state === "return_shipped") {
    await peifu("POST", `/cases/${caseId}/return-signed`, undefined, `medusa-${returnId}-signed`)
    current = await peifu("GET", `/cases/${caseId}`)
  }
  if (current.state === "return_shipped") {
    current = await peifu("POST", `/cases/${caseId}/confirm-return`, undefined, `medusa-${returnId}-confirmed`, sellerActor(order))
  }
  logger.info(`peifu: Medusa return ${returnId} received → case ${caseId} ${current.state}`)
}

export const config: SubscriberConfig = { event: "order.return_received" }
