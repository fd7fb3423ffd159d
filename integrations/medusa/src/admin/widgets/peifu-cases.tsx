/**
 * Order page widget: the order's Peifu cases — state, the deadline the case waits on, money — read
 * from GET /admin/peifu/orders/:id/cases. (Built by `medusa plugin:build` with the admin extensions;
 * the end-to-end test runs Medusa without the admin and checks the route itself.)
 */
import { defineWidgetConfig } from "@medusajs/admin-sdk"
import { useEffect, useState } from "react"

type Deadline = { kind?: string; due_at?: string; at?: string } | null
type PeifuCase = {
  id: number
  case_type: string
  reason: string
  state: string
  phase?: string
  deadline: Deadline
  refunded_fen: number
  compensation_fen: number
}
type Answer = { cases: PeifuCase[]; unsupported_payouts: Record<string, { message: string; amount_fen: number }> }

const money = (fen: number) => (fen / 100).toFixed(2)

const PeifuCasesWidget = ({ data }: { data: { id: string } }) => {
  const [answer, setAnswer] = useState<Answer | null>(null)
  const [error, setError] = useState<string | null>(null)
  useEffect(() => {
    fetch(`/admin/peifu/orders/${data.id}/cases`, { credentials: "include" })
      .then((r) => (r.ok ? r.json() : Promise.reject(new Error(`${r.status}`))))
      .then(setAnswer)
      .catch((e) => setError(String(e)))
  }, [data.id])
  if (error) return <div className="p-4">Peifu: {error}</div>
  if (!answer || answer.cases.length === 0) return null
  return (
    <div className="shadow-elevation-card-rest bg-ui-bg-base rounded-lg p-4">
      <h2 className="font-medium">After-sales (Peifu)</h2>
      <table className="w-full text-sm">
        <thead>
          <tr>
            <th>Case</th>
            <th>Type / reason</th>
            <th>State</th>
            <th>Deadline</th>
            <th>Refunded</th>
            <th>Compensation</th>
          </tr>
        </thead>
        <tbody>
          {answer.cases.map((c) => (
            <tr key={c.id}>
              <td>#{c.id}</td>
              <td>
                {c.case_type} / {c.reason}
              </td>
              <td>{c.state}</td>
              <td>{c.deadline ? `${c.deadline.kind ?? ""} ${c.deadline.due_at ?? c.deadline.at ?? ""}` : "—"}</td>
              <td>{money(c.refunded_fen)}</td>
              <td>{money(c.compensation_fen)}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {Object.entries(answer.unsupported_payouts).map(([key, p]) => (
        <p key={key} className="text-ui-fg-error text-sm">
          Not paid through Medusa ({money(p.amount_fen)}): {p.message}
        </p>
      ))}
    </div>
  )
}

export const config = defineWidgetConfig({ zone: "order.details.after" })

export default PeifuCasesWidget
