/** Standard Webhooks signature verification (https://www.standardwebhooks.com), as Peifu signs. */
import { createHmac, timingSafeEqual } from "crypto"

const TOLERANCE_SECONDS = 5 * 60

export function verify(
  secret: string,
  headers: Record<string, string | string[] | undefined>,
  rawBody: string | Buffer,
  nowSeconds = Math.floor(Date.now() / 1000)
): boolean {
  const get = (name: string) => {
    const value = headers[name] ?? headers[name.toLowerCase()]
    return Array.isArray(value) ? value[0] : value
  }
  const id = get("webhook-id")
  const timestamp = get("webhook-timestamp")
  const signatures = get("webhook-signature")
  if (!secret || !id || !timestamp || !signatures) return false
  const ts = Number(timestamp)
  if (!Number.isFinite(ts) || Math.abs(nowSeconds - ts) > TOLERANCE_SECONDS) return false
  const key = Buffer.from(secret.startsWith("whsec_") ? secret.slice(6) : secret, "base64")
  const body = typeof rawBody === "string" ? rawBody : rawBody.toString("utf8")
  const expected = createHmac("sha256", key).update(`${id}.${timestamp}.${body}`).digest()
  return signatures.split(" ").some((part) => {
    const [version, value] = part.split(",", 2)
    if (version !== "v1" || !value) return false
    const given = Buffer.from(value, "base64")
    return given.length === expected.length && timingSafeEqual(given, expected)
  })
}
