/**
 * Seeds the e2e store: a CNY region, a sales channel with a publishable key, a stock location with
 * manual fulfillment and a flat shipping option, one product (RUN-42, 399.00 CNY). Writes the ids the
 * test needs as JSON to $SEED_OUT.   npx medusa exec ./scripts/seed.ts
 */
import { writeFileSync } from "fs"
import type { ExecArgs } from "@medusajs/framework/types"
import { ContainerRegistrationKeys, Modules, ProductStatus } from "@medusajs/framework/utils"
import {
  createApiKeysWorkflow,
  createProductsWorkflow,
  createRegionsWorkflow,
  createSalesChannelsWorkflow,
  createShippingOptionsWorkflow,
  createShippingProfilesWorkflow,
  createStockLocationsWorkflow,
  createTaxRegionsWorkflow,
  linkSalesChannelsToApiKeyWorkflow,
  linkSalesChannelsToStockLocationWorkflow,
} from "@medusajs/medusa/core-flows"

export default async function seed({ container }: ExecArgs) {
  const link = container.resolve(ContainerRegistrationKeys.LINK)
  const fulfillment = container.resolve(Modules.FULFILLMENT)
  const storeModule = container.resolve(Modules.STORE)

  const stores = await storeModule.listStores()
  if (stores.length) {
    await storeModule.updateStores(stores[0].id, {
      supported_currencies: [{ currency_code: "cny", is_default: true }],
    } as any)
  }

  const { result: regions } = await createRegionsWorkflow(container).run({
    input: { regions: [{ name: "China", currency_code: "cny", countries: ["cn"], payment_providers: ["pp_system_default"] }] },
  })
  await createTaxRegionsWorkflow(container).run({ input: [{ country_code: "cn", provider_id: "tp_system" }] })

  const { result: channels } = await createSalesChannelsWorkflow(container).run({
    input: { salesChannelsData: [{ name: "Peifu e2e" }] },
  })
  const channel = channels[0]

  const { result: locations } = await createStockLocationsWorkflow(container).run({
    input: { locations: [{ name: "Shanghai warehouse", address: { city: "Shanghai", country_code: "CN", address_1: "1 Nanjing Rd" } }] },
  })
  const location = locations[0]
  await linkSalesChannelsToStockLocationWorkflow(container).run({ input: { id: location.id, add: [channel.id] } })
  await link.create({
    [Modules.STOCK_LOCATION]: { stock_location_id: location.id },
    [Modules.FULFILLMENT]: { fulfillment_provider_id: "manual_manual" },
  })

  const { result: profiles } = await createShippingProfilesWorkflow(container).run({
    input: { data: [{ name: "Peifu e2e", type: "default" }] },
  })
  const profile = profiles[0]
  const fulfillmentSet = await fulfillment.createFulfillmentSets({
    name: "Shanghai delivery",
    type: "shipping",
    service_zones: [{ name: "China", geo_zones: [{ country_code: "cn", type: "country" }] }],
  })
  await link.create({
    [Modules.STOCK_LOCATION]: { stock_location_id: location.id },
    [Modules.FULFILLMENT]: { fulfillment_set_id: fulfillmentSet.id },
  })
  const { result: options } = await createShippingOptionsWorkflow(container).run({
    input: [
      {
        name: "Standard",
        price_type: "flat",
        provider_id: "manual_manual",
        service_zone_id: fulfillmentSet.service_zones[0].id,
        shipping_profile_id: profile.id,
        type: { label: "Standard", description: "2-3 days", code: "standard" },
        prices: [
          { currency_code: "cny", amount: 10 },
          { region_id: regions[0].id, amount: 10 },
        ],
        rules: [
          { attribute: "enabled_in_store", value: "true", operator: "eq" },
          { attribute: "is_return", value: "false", operator: "eq" },
        ],
      },
    ] as any,
  })

  const { result: keys } = await createApiKeysWorkflow(container).run({
    input: { api_keys: [{ title: "Peifu e2e storefront", type: "publishable", created_by: "" }] },
  })
  await linkSalesChannelsToApiKeyWorkflow(container).run({ input: { id: keys[0].id, add: [channel.id] } })

  const { result: products } = await createProductsWorkflow(container).run({
    input: {
      products: [
        {
          title: "超轻跑步鞋",
          handle: "run-42",
          status: ProductStatus.PUBLISHED,
          shipping_profile_id: profile.id,
          metadata: { peifu_category: "shoes" },
          options: [{ title: "Size", values: ["42"] }],
          variants: [
            {
              title: "42",
              sku: "RUN-42",
              options: { Size: "42" },
              manage_inventory: false,
              prices: [{ amount: 399, currency_code: "cny" }],
            },
          ],
          sales_channels: [{ id: channel.id }],
        },
      ],
    } as any,
  })

  const out = {
    region_id: regions[0].id,
    sales_channel_id: channel.id,
    publishable_key: keys[0].token,
    stock_location_id: location.id,
    shipping_option_id: options[0].id,
    variant_id: products[0].variants[0].id,
  }
  writeFileSync(process.env.SEED_OUT ?? "seed.json", JSON.stringify(out, null, 2))
}
