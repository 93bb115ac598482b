import { signWebhook, WEBHOOK_HEADERS } from './signature.ts'

/** The `fetch` the worker calls (the global one unless a caller supplies another). */
export type FetchLike = (url: string, init: RequestInit) => Promise<Response>

/** How one POST ended. `error` is Tresor's own wording: never the receiver's body. */
export type SendOutcome =
  | { ok: true; statusCode: number }
  | { ok: false; statusCode: number | null; error: string }
  /** Tresor is shutting down: the attempt is left to be claimed again, not counted as failed. */
  | { ok: false; aborted: true }

export interface SendRequest {
  url: string
  deliveryId: string
  event: string
  body: string
  secret: Buffer
  /** Unix seconds to sign with. */
  timestamp: number
  userAgent: string
  timeoutMs: number
  /** Aborted when the worker stops. */
  shutdown: AbortSignal
}

/** Signs and POSTs one delivery; redirects are refused, the response body is never read. */
export async function sendDelivery(fetchImpl: FetchLike, req: SendRequest): Promise<SendOutcome> {
  const headers = {
    'content-type': 'application/json',
    'user-agent': req.userAgent,
    [WEBHOOK_HEADERS.delivery]: req.deliveryId,
    [WEBHOOK_HEADERS.event]: req.event,
    [WEBHOOK_HEADERS.signature]: signWebhook(req.secret, req.body, req.timestamp),
  }
  const timeout = AbortSignal.timeout(req.timeoutMs)
  try {
    const res = await fetchImpl(req.url, {
      method: 'POST',
      headers,
      body: req.body,
      // A redirect could move a signed request to a host nobody registered.
      redirect: 'manual',
      signal: AbortSignal.any([timeout, req.shutdown]),
    })
    // Free the connection without reading what the receiver said.
    await res.body?.cancel().catch(() => {})
    if (res.status >= 200 && res.status < 300) return { ok: true, statusCode: res.status }
    const redirect = res.status >= 300 && res.status < 400 ? ' (redirects are not followed)' : ''
    return { ok: false, statusCode: res.status, error: `HTTP ${res.status}${redirect}` }
  } catch (err) {
    if (req.shutdown.aborted) return { ok: false, aborted: true }
    if (timeout.aborted) {
      return { ok: false, statusCode: null, error: `timed out after ${req.timeoutMs} ms` }
    }
    return { ok: false, statusCode: null, error: networkError(err) }
  }
}

// Only an errno-style code is kept from the error (ECONNREFUSED, ENOTFOUND…): a message could
// quote the URL, which may hold a token.
function networkError(err: unknown): string {
  const cause = (err as { cause?: { code?: unknown } } | undefined)?.cause
  const code = typeof cause?.code === 'string' && /^[A-Z][A-Z0-9_]{1,40}$/.test(cause.code)
  return code ? `connection failed (${String(cause?.code)})` : 'connection failed'
}
