import { ApiError, problemToError } from './errors.ts'
import {
  fetchTransport,
  TransportError,
  type Transport,
  type TransportRequest,
} from './transport.ts'

export interface ClientOptions {
  /** The server's base URL, such as `http://127.0.0.1:7070` (a trailing `/` is ignored). */
  baseUrl: string
  /** Bearer token; omit only for public routes such as `/healthz`. */
  token?: string | undefined
  /** How requests are sent; defaults to `fetch`. Node CLIs pass `nodeTransport()`. */
  transport?: Transport
  userAgent?: string
  /** Per-request timeout; default 30 s. */
  timeoutMs?: number
}

export type Query = Record<string, string | number | boolean | undefined>

export interface CallSpec {
  method: TransportRequest['method']
  path: string
  query?: Query
  /** A JSON body; or `text` for a `text/plain` one. */
  json?: unknown
  text?: string
  /** Sent as `If-Match: "N"`: the write is refused (412) if the document moved on. */
  baseRevision?: number | undefined
}

export interface CallResult {
  status: number
  body: string
  /** The revision named by the response's ETag, when it has one. */
  etagRevision: number | undefined
}

/** Sends one call and returns the raw answer; throws ApiError for anything but 2xx. */
export type Caller = (spec: CallSpec) => Promise<CallResult>

const REASON_TEXT: Record<TransportError['reason'], string> = {
  refused: 'connection refused; is the server running?',
  'unknown-host': 'host not found',
  timeout: 'no answer in time',
  reset: 'the connection was closed',
  tls: 'the TLS certificate was not accepted',
  other: 'network error',
}

/** Normalises a base URL and refuses anything but http(s); never echoes credentials. */
export function normalizeBaseUrl(raw: string): string {
  let url: URL
  try {
    url = new URL(raw)
  } catch {
    throw new ApiError('BAD_REQUEST', 'the server URL is not a valid URL', { httpStatus: 0 })
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:')
    throw new ApiError('BAD_REQUEST', 'the server URL must start with http:// or https://', {
      httpStatus: 0,
    })
  // Messages quote the URL; a password in it would end up on screens and in logs.
  if (url.username !== '' || url.password !== '')
    throw new ApiError('BAD_REQUEST', 'the server URL must not contain a user name or password', {
      httpStatus: 0,
    })
  return url.href.replace(/\/+$/, '')
}

function urlOf(base: string, path: string, query: Query | undefined): string {
  const params = new URLSearchParams()
  for (const [k, v] of Object.entries(query ?? {})) if (v !== undefined) params.set(k, String(v))
  const qs = params.toString()
  return `${base}${path}${qs === '' ? '' : `?${qs}`}`
}

/** The caller every typed method goes through: auth header, body encoding, error mapping. */
export function createCaller(options: ClientOptions): Caller {
  const base = normalizeBaseUrl(options.baseUrl)
  const transport = options.transport ?? fetchTransport()
  const timeoutMs = options.timeoutMs ?? 30_000
  return async (spec) => {
    const headers: Record<string, string> = { accept: 'application/json' }
    if (options.token !== undefined) headers.authorization = `Bearer ${options.token}`
    if (options.userAgent !== undefined) headers['user-agent'] = options.userAgent
    if (spec.baseRevision !== undefined) headers['if-match'] = `"${spec.baseRevision}"`
    let body: string | undefined
    if (spec.json !== undefined) {
      headers['content-type'] = 'application/json'
      body = JSON.stringify(spec.json)
    } else if (spec.text !== undefined) {
      headers['content-type'] = 'text/plain; charset=utf-8'
      body = spec.text
    }
    const request: TransportRequest = {
      method: spec.method,
      url: urlOf(base, spec.path, spec.query),
      headers,
      timeoutMs,
      ...(body === undefined ? {} : { body }),
    }
    let res
    try {
      res = await transport(request)
    } catch (err) {
      // A transport wrapper's own answer (a session refresh refused): already in the user's words.
      if (err instanceof ApiError) throw err
      const reason = err instanceof TransportError ? REASON_TEXT[err.reason] : 'network error'
      throw new ApiError('UNAVAILABLE', `cannot reach the Tresor server at ${base} (${reason})`, {
        httpStatus: 0,
      })
    }
    if (res.status < 200 || res.status > 299)
      throw problemToError(res.status, res.body, res.header('x-request-id'))
    const etag = /^(?:W\/)?"(\d+)"$/.exec(res.header('etag') ?? '')
    return { status: res.status, body: res.body, etagRevision: etag ? Number(etag[1]) : undefined }
  }
}

/** Parses a JSON answer; a 2xx that is not JSON is the server's fault, reported without it. */
export function parseJson<T>(result: CallResult): T {
  try {
    return JSON.parse(result.body) as T
  } catch {
    throw new ApiError('INTERNAL', 'the server answered with a body that is not JSON', {
      httpStatus: result.status,
    })
  }
}
