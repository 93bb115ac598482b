import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'

/** One server-sent event. Objects are sent as one line of JSON. */
export interface SseMessage {
  id?: string
  event?: string
  data: unknown
}

export interface SseStream {
  send(message: SseMessage): void
  /** Calls `fn` once when the stream ends (client gone, `close()`, or server shutdown). */
  onClose(fn: () => void): void
  close(): void
  readonly closed: boolean
}

export interface SseOptions {
  /** Interval of the keep-alive comment that stops proxies from timing the stream out. */
  heartbeatMs?: number
  /** How long a browser's EventSource waits before reconnecting. */
  retryMs?: number
}

// Keyed by the Node server, which an app and all its encapsulated plugins share.
const openStreams = new WeakMap<object, Set<SseStream>>()

// Field values cannot span lines: a newline would start a new field of the client's choosing.
const oneLine = (text: string): string => text.replace(/[\r\n]/g, ' ')

/** The wire text of one event: `id:`, `event:`, one `data:` line per line of data, blank line. */
export function formatSse(message: SseMessage): string {
  let out = ''
  if (message.id !== undefined) out += `id: ${oneLine(message.id)}\n`
  if (message.event !== undefined) out += `event: ${oneLine(message.event)}\n`
  const data = typeof message.data === 'string' ? message.data : JSON.stringify(message.data)
  for (const line of data.split(/\r\n|\r|\n/)) out += `data: ${line}\n`
  return `${out}\n`
}

/**
 * Turns `reply` into a `text/event-stream`: writes the headers, a comment every
 * `heartbeatMs`, and cleans up when the client disconnects. The route must not send anything
 * else.
 */
export function openEventStream(
  request: FastifyRequest,
  reply: FastifyReply,
  options: SseOptions = {},
): SseStream {
  reply.hijack()
  const raw = reply.raw
  raw.writeHead(200, {
    'content-type': 'text/event-stream; charset=utf-8',
    'cache-control': 'no-store',
    connection: 'keep-alive',
    'x-accel-buffering': 'no', // nginx would otherwise buffer the stream
    'x-request-id': request.id,
  })
  raw.write(`retry: ${options.retryMs ?? 3000}\n: connected\n\n`)
  const closers: (() => void)[] = []
  const streams = openStreams.get(request.server.server) ?? new Set<SseStream>()
  openStreams.set(request.server.server, streams)
  const heartbeat = setInterval(() => raw.write(': heartbeat\n\n'), options.heartbeatMs ?? 15_000)
  let closed = false
  const stream: SseStream = {
    send: (message) => {
      if (!closed) raw.write(formatSse(message))
    },
    onClose: (fn) => {
      if (closed) fn()
      else closers.push(fn)
    },
    close: () => {
      if (closed) return
      closed = true
      clearInterval(heartbeat)
      streams.delete(stream)
      for (const fn of closers.splice(0)) fn()
      raw.end()
    },
    get closed() {
      return closed
    },
  }
  streams.add(stream)
  raw.once('close', () => stream.close())
  return stream
}

/** Ends every open event stream of `app` when it closes, so that shutdown is not held open. */
export function registerSse(app: FastifyInstance): void {
  app.addHook('preClose', (done) => {
    for (const stream of [...(openStreams.get(app.server) ?? [])]) stream.close()
    done()
  })
}
