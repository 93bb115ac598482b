import http from 'node:http'
import { StringDecoder } from 'node:string_decoder'
import { problemToError, type ApiError } from './errors.ts'
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

/**
 * Follows `GET /v1/events` over node:http and reconnects after any break with a growing,
 * jittered delay, so that a restarted or unreachable server is picked up again on its own.
 */
export function subscribeEvents(opts: EventStreamOptions): EventSubscription {
  const base = normalizeBaseUrl(opts.baseUrl)
  const [firstMs, maxMs] = opts.backoffMs ?? [250, 10_000]
  let delay = firstMs
  let closed = false
  let request: http.ClientRequest | undefined
  let timer: NodeJS.Timeout | undefined

  const retry = (reason: string) => {
    request = undefined
    if (closed) return
    const wait = Math.round(delay * (0.8 + Math.random() * 0.4))
    delay = Math.min(delay * 2, maxMs)
    opts.onRetry?.(wait, reason)
    timer = setTimeout(connect, wait)
  }

  function connect(): void {
    const url = new URL(`${base}/v1/events`)
    for (const [k, v] of Object.entries(opts.query ?? {})) url.searchParams.set(k, v)
    const headers: Record<string, string> = {
      accept: 'text/event-stream',
      authorization: `Bearer ${opts.token}`,
    }
    if (opts.userAgent !== undefined) headers['user-agent'] = opts.userAgent
    void (url.protocol === 'https:' ? import('node:https') : Promise.resolve(http)).then((lib) => {
      if (closed) return
      const req = lib.request(url, { method: 'GET', headers, agent: false }, (res) =>
        onResponse(res),
      )
      request = req
      req.setTimeout(opts.idleTimeoutMs ?? 45_000, () => req.destroy(new Error('idle')))
      req.on('error', (err: NodeJS.ErrnoException) => {
        if (request === req) retry(err.code ?? err.message)
      })
      req.end()
    })
  }

  function onResponse(res: http.IncomingMessage): void {
    const req = request
    if (res.statusCode !== 200) {
      let body = ''
      res.setEncoding('utf8')
      res.on('data', (d: string) => (body += d))
      res.on('error', () => {
        if (request === req) retry(`HTTP ${res.statusCode ?? 0}`)
      })
      res.on('end', () => {
        const status = res.statusCode ?? 0
        const rid = res.headers['x-request-id']
        const err = problemToError(status, body, typeof rid === 'string' ? rid : undefined)
        if (!FATAL.has(status)) return retry(`HTTP ${status}`)
        closed = true
        opts.onFatal?.(err)
      })
      return
    }
    delay = firstMs
    const decoder = new StringDecoder('utf8')
    const parser = createSseParser(opts.onEvent)
    res.on('data', (chunk: Buffer) => parser.push(decoder.write(chunk)))
    // 'close' follows both a clean end and a broken connection ('error' alone would crash).
    res.on('error', () => undefined)
    res.on('close', () => {
      if (request === req) retry('the stream was closed')
    })
    opts.onOpen?.()
  }

  connect()
  return {
    close() {
      closed = true
      clearTimeout(timer)
      request?.destroy()
      request = undefined
    },
  }
}
