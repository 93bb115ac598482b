/** One HTTP exchange as the client sees it: small, so that any runtime can provide it. */
export interface TransportRequest {
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE'
  url: string
  headers: Record<string, string>
  body?: string
  timeoutMs: number
}

export interface TransportResponse {
  status: number
  /** A response header by lower-case name. */
  header: (name: string) => string | undefined
  body: string
}

/** Sends one request; rejects with a TransportError when no response arrives. */
export type Transport = (request: TransportRequest) => Promise<TransportResponse>

/** Why no response arrived, in words a user can act on. */
export type TransportFailure = 'refused' | 'unknown-host' | 'timeout' | 'reset' | 'tls' | 'other'

/** No response: the server is down, unreachable, too slow, or the connection broke. */
export class TransportError extends Error {
  readonly reason: TransportFailure

  constructor(reason: TransportFailure, message: string) {
    super(message)
    this.name = 'TransportError'
    this.reason = reason
  }
}

const CODE_REASONS: Record<string, TransportFailure> = {
  ECONNREFUSED: 'refused',
  ENOTFOUND: 'unknown-host',
  EAI_AGAIN: 'unknown-host',
  ETIMEDOUT: 'timeout',
  ECONNRESET: 'reset',
  EPIPE: 'reset',
  UND_ERR_SOCKET: 'reset',
  UND_ERR_CONNECT_TIMEOUT: 'timeout',
  CERT_HAS_EXPIRED: 'tls',
  DEPTH_ZERO_SELF_SIGNED_CERT: 'tls',
  UNABLE_TO_VERIFY_LEAF_SIGNATURE: 'tls',
  SELF_SIGNED_CERT_IN_CHAIN: 'tls',
  ERR_TLS_CERT_ALTNAME_INVALID: 'tls',
}

/** The TransportError of a low-level network error (a Node `code`, possibly on `cause`). */
export function toTransportError(err: unknown): TransportError {
  if (err instanceof TransportError) return err
  const e = err as { code?: unknown; cause?: { code?: unknown }; name?: unknown }
  if (e?.name === 'TimeoutError' || e?.name === 'AbortError')
    return new TransportError('timeout', 'no answer in time')
  const code = typeof e?.code === 'string' ? e.code : e?.cause?.code
  const reason = typeof code === 'string' ? (CODE_REASONS[code] ?? 'other') : 'other'
  return new TransportError(reason, typeof code === 'string' ? code : 'network error')
}

/** A Transport over WHATWG `fetch` (browsers, Deno, Node); the default of createClient. */
export function fetchTransport(fetchFn: typeof fetch = globalThis.fetch): Transport {
  return async (req) => {
    let res: Response
    try {
      res = await fetchFn(req.url, {
        method: req.method,
        headers: req.headers,
        ...(req.body === undefined ? {} : { body: req.body }),
        signal: AbortSignal.timeout(req.timeoutMs),
      })
    } catch (err) {
      throw toTransportError(err)
    }
    const body = await res.text()
    return { status: res.status, header: (name) => res.headers.get(name) ?? undefined, body }
  }
}
