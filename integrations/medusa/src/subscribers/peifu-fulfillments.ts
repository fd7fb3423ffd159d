/** Orders in: shipment.created → `shipped` (courier + tracking), delivery.created → `signed`. */
import type { SubscriberArgs, SubscriberConfig } from "@medusajs/framework"
import { ContainerRegistrationKeys } from "@medusajs/framework/utils"
import { configureFrom } from "../lib/config"
import { syncOrder } from "../lib/orders"

export default async function peifuFulfillment({ event, container }: SubscriberArgs<{ id: string }>) {
  configureFrom(container)
  const query = container.resolve(ContainerRegistrationKeys.QUERY)
  const { data } = await query.graph({
    entity: "fulfillment",
    fields: ["id", "order.id"],
    filters: { id: event.data.id },
  })
  const orderId = data[0]?.order?.id
  if (orderId) await syncOrder(container, orderId)
}

export const config: SubscriberConfig = { event: ["shipment.created", "delivery.created"] }
