import http from 'node:http'
import { StringDecoder } from 'node:string_decoder'
import { isApiError, problemToError, type ApiError } from './errors.ts'
import { normalizeBaseUrl } from './request.ts'
import { createSseParser, type SseEvent } from './sse-parser.ts'

export interface EventStreamOptions {
  baseUrl: string
  token: string
  /** `project` and `env` narrow the stream to one project or environment. */
  query?: Record<string, string>
  userAgent?: string
  onEvent: (event: SseEvent) => void
  /** Each time the stream is (re)connected: the moment to catch up on anything missed. */
  onOpen?: () => void
  /**
   * A short-lived session's renewal: on 401 the refused bearer is traded once for a new one and
   * the stream reconnects with it; a failed renewal is fatal (its error goes to `onFatal`).
   */
  renewToken?: (failed: string) => Promise<string>
  /** A refusal that retrying cannot fix (401, 403, 404): the stream stops for good. */
  onFatal?: (err: ApiError) => void
  /** Before each reconnection: how long it waits and why (no body, no token in `reason`). */
  onRetry?: (delayMs: number, reason: string) => void
  /** First and longest wait between reconnections (default 250 ms and 10 s, doubling). */
  backoffMs?: [number, number]
  /** No byte for this long (the server sends a heartbeat every 15 s) means a dead link. */
  idleTimeoutMs?: number
}

export interface EventSubscription {
  close(): void
}

const FATAL = new Set([400, 401, 403, 404])

// One subscription: at most one request at a time; `request` is the live one, so that events of
// an abandoned request (after close or a retry) are ignored.
class EventStream implements EventSubscription {
  private readonly base: string
  private delay: number
  private closed = false
  private request: http.ClientRequest | undefined
  private timer: NodeJS.Timeout | undefined
  private token: string
  // Renewed since the last stream that opened: a 401 right after a renewal is final.
  private renewed = false

  constructor(private readonly opts: EventStreamOptions) {
    this.base = normalizeBaseUrl(opts.baseUrl)
    this.delay = this.backoff[0]
    this.token = opts.token
  }

  private get backoff(): [number, number] {
    return this.opts.backoffMs ?? [250, 10_000]
  }

  close(): void {
    this.closed = true
    clearTimeout(this.timer)
    this.request?.destroy()
    this.request = undefined
  }

  private retry(reason: string): void {
    this.request = undefined
    if (this.closed) return
    const wait = Math.round(this.delay * (0.8 + Math.random() * 0.4))
    this.delay = Math.min(this.delay * 2, this.backoff[1])
    this.opts.onRetry?.(wait, reason)
    this.timer = setTimeout(() => this.connect(), wait)
  }

  connect(): void {
    const url = new URL(`${this.base}/v1/events`)
    for (const [k, v] of Object.entries(this.opts.query ?? {})) url.searchParams.set(k, v)
    const headers: Record<string, string> = {
      accept: 'text/event-stream',
      authorization: `Bearer ${this.token}`,
    }
    if (this.opts.userAgent !== undefined) headers['user-agent'] = this.opts.userAgent
    const lib = url.protocol === 'https:' ? import('node:https') : Promise.resolve(http)
    void lib.then((l) => {
      if (this.closed) return
      const req = l.request(url, { method: 'GET', headers, agent: false }, (res) =>
        res.statusCode === 200 ? this.onStream(req, res) : this.onRefusal(req, res),
      )
      this.request = req
      req.setTimeout(this.opts.idleTimeoutMs ?? 45_000, () => req.destroy(new Error('idle')))
      req.on('error', (err: NodeJS.ErrnoException) => {
        if (this.request === req) this.retry(err.code ?? err.message)
      })
      req.end()
    })
  }

  private onStream(req: http.ClientRequest, res: http.IncomingMessage): void {
    this.delay = this.backoff[0]
    this.renewed = false
    const decoder = new StringDecoder('utf8')
    const parser = createSseParser(this.opts.onEvent)
    res.on('data', (chunk: Buffer) => parser.push(decoder.write(chunk)))
    // 'close' follows both a clean end and a broken connection ('error' alone would crash).
    res.on('error', () => undefined)
    res.on('close', () => {
      if (this.request === req) this.retry('the stream was closed')
    })
    this.opts.onOpen?.()
  }

  // A refusal: retried when it may pass later (5xx, 429), final when it cannot (401, 403, 404).
  private onRefusal(req: http.ClientRequest, res: http.IncomingMessage): void {
    const status = res.statusCode ?? 0
    let body = ''
    res.setEncoding('utf8')
    res.on('data', (d: string) => (body += d))
    res.on('error', () => {
      if (this.request === req) this.retry(`HTTP ${status}`)
    })
    res.on('end', () => {
      if (this.request !== req) return
      if (!FATAL.has(status)) return this.retry(`HTTP ${status}`)
      const rid = res.headers['x-request-id']
      const err = problemToError(status, body, typeof rid === 'string' ? rid : undefined)
      if (status === 401 && this.opts.renewToken !== undefined && !this.renewed)
        return this.renew(this.opts.renewToken, err)
      this.fatal(err)
    })
  }

  private renew(renewToken: (failed: string) => Promise<string>, refused: ApiError): void {
    this.renewed = true
    const failed = this.token
    Promise.resolve()
      .then(() => renewToken(failed))
      .then(
        (next) => {
          if (this.closed) return
          this.token = next
          this.connect()
        },
        (err: unknown) => this.fatal(isApiError(err) ? err : refused),
      )
  }

  private fatal(err: ApiError): void {
    if (this.closed) return
    this.closed = true
    this.opts.onFatal?.(err)
  }
}

/**
 * Follows `GET /v1/events` over node:http and reconnects after any break with a growing,
 * jittered delay, so that a restarted or unreachable server is picked up again on its own.
 */
export function subscribeEvents(opts: EventStreamOptions): EventSubscription {
  const stream = new EventStream(opts)
  stream.connect()
  return stream
}
