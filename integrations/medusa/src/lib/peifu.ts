/** A small HTTP client for Peifu's API (platform key), with Idempotency-Key on every write. */
import { config } from "./config"

export class PeifuError extends Error {
  constructor(
    public status: number,
    public code: string,
    message: string
  ) {
    super(`Peifu ${status} ${code}: ${message}`)
  }
}

export async function peifu<T = any>(
  method: "GET" | "POST",
  path: string,
  body?: unknown,
  idempotencyKey?: string,
  actor?: string
): Promise<T> {
  const { peifuUrl, apiKey } = config()
  // The platform key by default; a buyer's or seller's own action is sent as that party with
  // X-Peifu-Actor (Peifu must run with PEIFU_TRUST_ACTOR_HEADER=1 and trust this connector).
  const headers: Record<string, string> = actor
    ? { "x-peifu-actor": actor, accept: "application/json" }
    : { authorization: `Bearer ${apiKey}`, accept: "application/json" }
  if (body !== undefined) headers["content-type"] = "application/json"
  if (idempotencyKey) headers["idempotency-key"] = idempotencyKey
  const response = await fetch(`${peifuUrl}/api/v1${path}`, {
    method,
    headers,
    body: body === undefined ? undefined : JSON.stringify(body),
  })
  const text = await response.text()
  const data = text ? JSON.parse(text) : {}
  if (!response.ok) {
    const error = data?.error ?? data
    throw new PeifuError(response.status, String(error?.code ?? "error"), String(error?.message ?? text))
  }
  return data as T
}

/** Medusa amounts are decimal major units (e.g. 12.5); Peifu counts integer minor units (fen/cents). */
export function toFen(amount: unknown): number {
  const value = typeof amount === "object" && amount !== null && "numeric" in (amount as any)
    ? Number((amount as any).numeric)
    : Number(amount)
  return Math.round(value * 100)
}

export function fromFen(fen: number): number {
  return fen / 100
}

/** Peifu identifiers: ^[A-Za-z0-9][A-Za-z0-9_.:-]*$, at most 64 characters. */
export function ident(value: string): string {
  const cleaned = value.replace(/[^A-Za-z0-9_.:\-]/g, "-").replace(/^[^A-Za-z0-9]+/, "")
  return (cleaned || "x").slice(0, 64)
}
