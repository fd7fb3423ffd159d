/**
 * Orders in: a Medusa order becomes a Peifu order; its payment, shipment and delivery become Peifu
 * order events. Every call carries an Idempotency-Key derived from the Medusa ids, so a replayed
 * Medusa event answers the same and changes nothing in Peifu.
 */
import { ContainerRegistrationKeys } from "@medusajs/framework/utils"
import { config, covers } from "./config"
import { ident, peifu, PeifuError, toFen } from "./peifu"

type Container = { resolve: (key: string) => any }

export const ORDER_FIELDS = [
  "id",
  "display_id",
  "email",
  "currency_code",
  "customer_id",
  "sales_channel_id",
  "metadata",
  "shipping_total",
  "items.id",
  "items.title",
  "items.variant_sku",
  "items.variant_id",
  "items.product_id",
  "items.unit_price",
  "items.quantity",
  "items.discount_total",
  "items.metadata",
  "payment_collections.payments.id",
  "payment_collections.payments.amount",
  "payment_collections.payments.captured_at",
  "fulfillments.id",
  "fulfillments.provider_id",
  "fulfillments.shipped_at",
  "fulfillments.delivered_at",
  "fulfillments.created_at",
  "fulfillments.labels.tracking_number",
]

export async function loadOrder(container: Container, orderId: string): Promise<any | undefined> {
  const query = container.resolve(ContainerRegistrationKeys.QUERY)
  const { data } = await query.graph({ entity: "order", fields: ORDER_FIELDS, filters: { id: orderId } })
  return data[0]
}

/** Peifu line numbers: the order's items sorted by id (stable, nothing to store). */
export function sortedItems(order: any): any[] {
  return [...(order.items ?? [])].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))
}

export function lineNo(order: any, itemId: string): number | undefined {
  const index = sortedItems(order).findIndex((item) => item.id === itemId)
  return index < 0 ? undefined : index + 1
}

export function buyerId(order: any): string {
  return ident(`medusa-${order.customer_id ?? order.email ?? order.id}`)
}

export function shopId(order: any): string {
  return ident(config().shopId ?? order.sales_channel_id ?? "medusa-store")
}

export function peifuOrder(order: any) {
  const shipping = toFen(order.shipping_total ?? 0)
  return {
    id: ident(order.id),
    shop: { id: shopId(order), name: ident(order.sales_channel_id ?? "Medusa store") },
    buyer: { id: buyerId(order) },
    lines: sortedItems(order).map((item) => ({
      sku: ident(item.variant_sku ?? item.variant_id ?? item.id),
      title: String(item.title ?? item.id).slice(0, 300),
      category: ident(item.metadata?.peifu_category ?? config().defaultCategory),
      unit_price_fen: toFen(item.unit_price),
      quantity: Number(item.quantity),
      discount_fen: Math.min(toFen(item.discount_total ?? 0), toFen(item.unit_price) * Number(item.quantity)),
    })),
    ...(shipping > 0 ? { shipping_fee_fen: shipping } : { free_shipping: true }),
  }
}

function alreadyDone(error: unknown): boolean {
  // a replay Peifu refuses as a conflict or an out-of-state transition changes nothing: fine
  return error instanceof PeifuError && (error.status === 409 || error.status === 422)
}

/** Push the order (idempotent). Returns false when the order's sales channel is not covered. */
export async function ensureOrder(container: Container, order: any): Promise<boolean> {
  if (!covers(order.sales_channel_id)) return false
  try {
    await peifu("POST", "/orders", peifuOrder(order), `medusa-order-${order.id}`)
  } catch (error) {
    if (!alreadyDone(error)) throw error
  }
  return true
}

export async function orderEvent(
  container: Container,
  order: any,
  kind: "paid" | "shipped" | "signed" | "confirmed" | "closed",
  key: string,
  extra: Record<string, unknown> = {}
): Promise<void> {
  if (!(await ensureOrder(container, order))) return
  const logger = container.resolve(ContainerRegistrationKeys.LOGGER)
  try {
    await peifu("POST", `/orders/${ident(order.id)}/events`, { kind, ...extra }, key)
  } catch (error) {
    if (!alreadyDone(error)) throw error
    logger.info(`peifu: order ${order.id} ${kind} not recorded again: ${(error as Error).message}`)
  }
}

export function isPaid(order: any): boolean {
  return (order.payment_collections ?? []).some((pc: any) => (pc.payments ?? []).some((p: any) => p.captured_at))
}

const queues = new Map<string, Promise<unknown>>()

/** Run `task` after every earlier task of the same order (Medusa's subscribers run concurrently). */
export function serialized<T>(orderId: string, task: () => Promise<T>): Promise<T> {
  const previous = queues.get(orderId) ?? Promise.resolve()
  const next = previous.catch(() => undefined).then(task)
  queues.set(orderId, next)
  next.finally(() => {
    if (queues.get(orderId) === next) queues.delete(orderId)
  }).catch(() => undefined)
  return next
}

/**
 * Bring the Peifu order up to what Medusa knows, in order: pushed → paid → shipped → signed. Every
 * step has its own Idempotency-Key, so running it again (a replayed or late Medusa event) is a no-op,
 * and an event that arrives before an earlier one (subscribers run concurrently) cannot skip a step.
 */
export function syncOrder(container: Container, orderId: string): Promise<void> {
  return serialized(orderId, async () => {
    const order = await loadOrder(container, orderId)
    if (!order || !(await ensureOrder(container, order))) return
    if (!isPaid(order)) return
    await orderEvent(container, order, "paid", `medusa-${order.id}-paid`)
    const fulfillments = [...(order.fulfillments ?? [])].sort((a: any, b: any) =>
      String(a.created_at ?? a.id) < String(b.created_at ?? b.id) ? -1 : 1
    )
    const shipped = fulfillments.find((f: any) => f.shipped_at)
    if (!shipped) return
    await orderEvent(container, order, "shipped", `medusa-${shipped.id}-shipped`, {
      courier: ident(shipped.provider_id ?? "medusa"),
      tracking_no: ident(shipped.labels?.[0]?.tracking_number ?? shipped.id),
    })
    const delivered = fulfillments.find((f: any) => f.delivered_at)
    if (delivered) await orderEvent(container, order, "signed", `medusa-${delivered.id}-signed`)
  })
}
