// Type-checked by tests/test_site_docs.py (tsc --noEmit): the generated types describe the API.
import type { components, paths } from "./peifu";

type OrderIn = components["schemas"]["OrderIn"];
type CaseOut = components["schemas"]["CaseOut"];
type CreateCase = paths["/api/v1/cases"]["post"];

export const order: OrderIn = {
  id: "T1",
  shop: { id: "shop-lining", name: "李宁官方旗舰店" },
  buyer: { id: "buyer-wang" },
  lines: [{ sku: "RUN-42", title: "超轻跑步鞋 42码", category: "shoes", unit_price_fen: 39900, quantity: 1 }],
};

export const request: CreateCase["requestBody"]["content"]["application/json"] = {
  order_id: "T1",
  lines: [{ line_no: 1 }],
  case_type: "refund_only",
  reason: "ordered_by_mistake",
};

export function isFinal(c: CaseOut): boolean {
  return ["refunded", "resolved", "withdrawn", "closed"].includes(c.state);
}
