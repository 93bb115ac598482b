import { createHmac, timingSafeEqual } from 'node:crypto'

// The signature scheme of release webhooks, for Tresor (signing) and for receivers (verifying):
// `Tresor-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256(secret, "<t>.<raw body>")>`. The
// timestamp is signed too, so a captured request cannot be replayed after the tolerance.

/** The header names a delivery carries. */
export const WEBHOOK_HEADERS = {
  signature: 'tresor-signature',
  delivery: 'tresor-delivery',
  event: 'tresor-event',
} as const

function hmacHex(secret: string | Buffer, timestamp: number, body: string | Buffer): string {
  const mac = createHmac('sha256', secret)
  mac.update(`${timestamp}.`, 'utf8')
  mac.update(body)
  return mac.digest('hex')
}

/**
 * The `Tresor-Signature` header value for `body` sent at `timestamp` (unix seconds); the key is
 * the secret exactly as shown at creation (`whsec_…`), as UTF-8 bytes.
 */
export function signWebhook(
  secret: string | Buffer,
  body: string | Buffer,
  timestamp: number,
): string {
  return `t=${timestamp},v1=${hmacHex(secret, timestamp, body)}`
}

/**
 * True when `header` carries a `v1` signature of `body` made with `secret` at a time within
 * `toleranceSec` of `nowMs`. Compares in constant time; any malformed header is simply false.
 * @example verifyWebhookSignature(secret, req.headers['tresor-signature'], rawBody, 300)
 */
export function verifyWebhookSignature(
  secret: string,
  header: string | undefined,
  body: string | Buffer,
  toleranceSec = 300,
  nowMs: number = Date.now(),
): boolean {
  if (typeof header !== 'string' || header.length > 4096) return false
  let timestamp: number | undefined
  const candidates: string[] = []
  for (const part of header.split(',')) {
    const eq = part.indexOf('=')
    const name = part.slice(0, eq).trim()
    const value = part.slice(eq + 1).trim()
    if (name === 't' && /^\d{1,12}$/.test(value)) timestamp = Number(value)
    else if (name === 'v1' && /^[0-9a-f]{64}$/.test(value)) candidates.push(value)
  }
  if (timestamp === undefined || candidates.length === 0) return false
  if (Math.abs(nowMs / 1000 - timestamp) > toleranceSec) return false
  const expected = Buffer.from(hmacHex(secret, timestamp, body), 'hex')
  // Every candidate is compared (no early exit) so timing says nothing about which one matched.
  let matched = false
  for (const candidate of candidates) {
    if (timingSafeEqual(expected, Buffer.from(candidate, 'hex'))) matched = true
  }
  return matched
}
