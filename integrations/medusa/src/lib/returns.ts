/** Events back: a return Peifu agreed becomes a Medusa return; a received Medusa return is reported. */
import { ContainerRegistrationKeys } from "@medusajs/framework/utils"
import {
  beginReturnOrderWorkflow,
  confirmReturnRequestWorkflow,
  requestItemReturnWorkflow,
} from "@medusajs/medusa/core-flows"
import { sortedItems } from "./orders"

type Container = { resolve: (key: string) => any }

export async function returnForCase(container: Container, orderId: string, caseId: string): Promise<any | undefined> {
  const query = container.resolve(ContainerRegistrationKeys.QUERY)
  const { data } = await query.graph({
    entity: "return",
    fields: ["id", "status", "metadata"],
    filters: { order_id: orderId },
  })
  return data.find((r: any) => String(r.metadata?.peifu_case_id ?? "") === caseId)
}

/**
 * Create (once) the Medusa return for the lines of an agreed Peifu case, as the admin would: begin the
 * return (metadata.peifu_case_id), request the items, confirm the request. The goods are not yet back;
 * receiving them in Medusa (admin → order → return → receive) reports them back to Peifu.
 */
export async function createReturn(container: Container, order: any, peifuCase: any): Promise<any> {
  const caseId = String(peifuCase.id)
  const existing = await returnForCase(container, order.id, caseId)
  if (existing) return existing
  const items = sortedItems(order)
  const lines: { line_no: number }[] = peifuCase.lines ?? []
  const { result: change } = await beginReturnOrderWorkflow(container as any).run({
    input: {
      order_id: order.id,
      created_by: "peifu",
      description: `Peifu case ${caseId}: ${peifuCase.case_type} (${peifuCase.reason})`,
      metadata: { peifu_case_id: caseId },
    },
  })
  const returnId = (change as any).return_id
  await requestItemReturnWorkflow(container as any).run({
    input: {
      return_id: returnId,
      items: lines
        .map((line) => items[line.line_no - 1])
        .filter(Boolean)
        .map((item: any) => ({ id: item.id, quantity: Number(item.quantity) })),
    },
  })
  await confirmReturnRequestWorkflow(container as any).run({ input: { return_id: returnId, confirmed_by: "peifu" } })
  return { id: returnId }
}
