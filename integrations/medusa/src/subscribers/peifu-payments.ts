/** Orders in: payment.captured → Peifu order event `paid` (once per order). */
import type { SubscriberArgs, SubscriberConfig } from "@medusajs/framework"
import { ContainerRegistrationKeys } from "@medusajs/framework/utils"
import { configureFrom } from "../lib/config"
import { syncOrder } from "../lib/orders"

export default async function peifuPaymentCaptured({ event, container }: SubscriberArgs<{ id: string }>) {
  configureFrom(container)
  const query = container.resolve(ContainerRegistrationKeys.QUERY)
  const { data } = await query.graph({
    entity: "payment",
    fields: ["id", "payment_collection.order.id"],
    filters: { id: event.data.id },
  })
  const orderId = data[0]?.payment_collection?.order?.id
  if (orderId) await syncOrder(container, orderId)
}

export const config: SubscriberConfig = { event: "payment.captured" }
