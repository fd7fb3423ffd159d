/**
 * The connector's configuration: plugin options in medusa-config, else environment variables.
 *
 *   plugins: [{ resolve: "@peifu/medusa", options: { peifuUrl, apiKey, webhookSecret, gatewayToken,
 *                                                     salesChannels, currencyMinorUnits, shopId } }]
 */
export type PeifuOptions = {
  /** Peifu's base URL, e.g. https://peifu.example.com (PEIFU_URL). */
  peifuUrl?: string
  /** A platform-scoped Peifu API key, `peifu apikey create --scope platform` (PEIFU_API_KEY). */
  apiKey?: string
  /** The webhook endpoint's signing secret `whsec_…` (PEIFU_WEBHOOK_SECRET). */
  webhookSecret?: string
  /** The token Peifu's payout worker sends as `Authorization: Bearer` (PEIFU_GATEWAY_TOKEN on both sides). */
  gatewayToken?: string
  /** Sales channel ids whose orders Peifu handles; empty = every channel (PEIFU_SALES_CHANNELS, comma-separated). */
  salesChannels?: string[]
  /** Peifu shop id for orders of this store (PEIFU_SHOP_ID); default: the order's sales channel id. */
  shopId?: string
  /** Peifu product category sent for every line unless the product has metadata.peifu_category. */
  defaultCategory?: string
  /**
   * How compensation is paid, by Peifu payout method. Only original_payment compensation reaches the
   * payout route; "refund" (its default) = a Medusa refund on the order's payment, within what was
   * captured and not yet refunded; "unsupported" = answered 422 `unsupported_payout_method`. Either
   * refusal is recorded on the Medusa order's metadata. Points, coupons and vouchers stay in Peifu.
   */
  compensation?: Partial<Record<"original_payment" | "points" | "coupon" | "voucher", "refund" | "unsupported">>
}

export type PeifuConfig = Required<Omit<PeifuOptions, "gatewayToken" | "shopId">> & {
  gatewayToken?: string
  shopId?: string
}

let current: PeifuConfig | undefined

export function configure(options: PeifuOptions = {}): PeifuConfig {
  const env = process.env
  current = {
    peifuUrl: (options.peifuUrl ?? env.PEIFU_URL ?? "http://127.0.0.1:8000").replace(/\/+$/, ""),
    apiKey: options.apiKey ?? env.PEIFU_API_KEY ?? "",
    webhookSecret: options.webhookSecret ?? env.PEIFU_WEBHOOK_SECRET ?? "",
    gatewayToken: options.gatewayToken ?? env.PEIFU_GATEWAY_TOKEN,
    salesChannels:
      options.salesChannels ??
      (env.PEIFU_SALES_CHANNELS ? env.PEIFU_SALES_CHANNELS.split(",").map((s) => s.trim()).filter(Boolean) : []),
    shopId: options.shopId ?? env.PEIFU_SHOP_ID,
    defaultCategory: options.defaultCategory ?? env.PEIFU_DEFAULT_CATEGORY ?? "general",
    compensation: { original_payment: "refund", ...(options.compensation ?? {}) },
  }
  return current
}

export function config(): PeifuConfig {
  return current ?? configure()
}

export function covers(salesChannelId: string | null | undefined): boolean {
  const channels = config().salesChannels
  return channels.length === 0 || (!!salesChannelId && channels.includes(salesChannelId))
}

/** Read the plugin's options from medusa-config (once), falling back to the environment. */
export function configureFrom(container: { resolve: (key: string) => any }): PeifuConfig {
  if (current) return current
  let options: PeifuOptions = {}
  try {
    const plugins: any[] = container.resolve("configModule")?.plugins ?? []
    const entry = plugins.find((p) => typeof p === "object" && /peifu/i.test(String(p?.resolve ?? "")))
    options = entry?.options ?? {}
  } catch {
    // no config module registered (e.g. a unit test): environment only
  }
  return configure(options)
}
