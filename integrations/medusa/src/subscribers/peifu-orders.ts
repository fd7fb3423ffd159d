/** Orders in: order.placed → Peifu order (+ `paid` if the payment was captured at checkout). */
import type { SubscriberArgs, SubscriberConfig } from "@medusajs/framework"
import { configureFrom } from "../lib/config"
import { syncOrder } from "../lib/orders"

export default async function peifuOrderPlaced({ event, container }: SubscriberArgs<{ id: string }>) {
  configureFrom(container)
  await syncOrder(container, event.data.id)
}

export const config: SubscriberConfig = { event: "order.placed" }
