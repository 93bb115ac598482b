import { createServer, type IncomingMessage, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { afterEach, describe, expect, it } from 'vitest'
import { ApiError } from './errors.ts'
import { subscribeEvents } from './event-stream.ts'
import { createSseParser, type SseEvent } from './sse-parser.ts'

describe('createSseParser', () => {
  it('joins data lines, keeps names and ids, skips comments, and handles every line ending', () => {
    const events: SseEvent[] = []
    const parser = createSseParser((e) => events.push(e))
    const wire =
      'retry: 2500\r\n: a comment\r\nevent: release.created\r\nid: 7\r\ndata: {"a":\r\ndata:1}\r\n\r\n' +
      'data: plain\rdata:  two spaces\r\rdata\n\nevent: empty\n\n'
    // Fed one character at a time: a CR at a chunk's end and an LF at the next one's start.
    for (const ch of wire) parser.push(ch)
    expect(events).toEqual([
      { event: 'release.created', data: '{"a":\n1}', id: '7' },
      { event: 'message', data: 'plain\n two spaces', id: '7' },
      { event: 'message', data: '', id: '7' },
    ])
    expect(parser.retryMs).toBe(2500)
  })
})

// A real HTTP peer that plays a script per connection: the stream's wire behaviour end to end.
type Script = (req: IncomingMessage, res: ServerResponse) => void
let closeServer: (() => void) | undefined
afterEach(() => closeServer?.())

async function serve(scripts: Script[]): Promise<{ url: string; seen: IncomingMessage[] }> {
  const seen: IncomingMessage[] = []
  const server = createServer((req, res) => {
    seen.push(req)
    const script = scripts[seen.length - 1]
    if (script) script(req, res)
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  closeServer = () => {
    server.closeAllConnections()
    server.close()
  }
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, seen }
}

const sse = (res: ServerResponse) =>
  res.writeHead(200, { 'content-type': 'text/event-stream' }).write(': connected\n\n')

describe('subscribeEvents', () => {
  it('sends the token and filter, delivers events, and reconnects after the stream ends', async () => {
    const { url, seen } = await serve([
      (_req, res) => {
        sse(res)
        res.write('event: release.created\ndata: {"data":')
        setTimeout(() => res.end('{"number":2}}\n\n'), 20)
      },
      (_req, res) => {
        sse(res)
        res.write('event: release.created\ndata: {"data":{"number":3}}\n\n')
      },
    ])
    const events: string[] = []
    const opened: number[] = []
    const retries: string[] = []
    const sub = subscribeEvents({
      baseUrl: url,
      token: 'tok-1',
      query: { project: 'shop', env: 'staging' },
      backoffMs: [10, 50],
      onEvent: (e) => events.push(`${e.event} ${e.data}`),
      onOpen: () => opened.push(Date.now()),
      onRetry: (_ms, reason) => retries.push(reason),
    })
    await until(() => events.length === 2)
    sub.close()
    expect(events).toEqual([
      'release.created {"data":{"number":2}}',
      'release.created {"data":{"number":3}}',
    ])
    expect([opened.length, retries]).toEqual([2, ['the stream was closed']])
    expect(seen[0]?.url).toBe('/v1/events?project=shop&env=staging')
    expect(seen[0]?.headers).toMatchObject({
      authorization: 'Bearer tok-1',
      accept: 'text/event-stream',
    })
  })

  it('retries a 503, and stops for good on a 401 with its problem', async () => {
    const problem =
      (status: number, code: string) => (_req: IncomingMessage, res: ServerResponse) =>
        res
          .writeHead(status, { 'content-type': 'application/problem+json' })
          .end(JSON.stringify({ status, code, detail: `said ${code}`, requestId: 'req_9' }))
    const { url, seen } = await serve([
      problem(503, 'UNAVAILABLE'),
      problem(401, 'UNAUTHENTICATED'),
    ])
    let fatal: ApiError | undefined
    subscribeEvents({
      baseUrl: url,
      token: 't',
      backoffMs: [10, 10],
      onEvent: () => undefined,
      onFatal: (err) => (fatal = err),
    })
    await until(() => fatal !== undefined)
    await new Promise((r) => setTimeout(r, 60))
    expect([fatal?.code, fatal?.message, fatal?.requestId, seen.length]).toEqual([
      'UNAUTHENTICATED',
      'said UNAUTHENTICATED',
      'req_9',
      2,
    ])
  })
})

describe('subscribeEvents with a renewable session', () => {
  const refused = (_req: IncomingMessage, res: ServerResponse) =>
    res
      .writeHead(401, { 'content-type': 'application/problem+json' })
      .end(JSON.stringify({ status: 401, code: 'UNAUTHENTICATED', detail: 'expired' }))

  it('renews the refused bearer once and reconnects with the new one', async () => {
    const { url, seen } = await serve([refused, (_req, res) => sse(res)])
    const renewed: string[] = []
    let opened = 0
    const sub = subscribeEvents({
      baseUrl: url,
      token: 'tresor_ses_old',
      onEvent: () => undefined,
      onOpen: () => opened++,
      renewToken: (failed) => {
        renewed.push(failed)
        return Promise.resolve('tresor_ses_new')
      },
    })
    await until(() => opened === 1)
    sub.close()
    expect(renewed).toEqual(['tresor_ses_old'])
    expect(seen.map((r) => r.headers.authorization)).toEqual([
      'Bearer tresor_ses_old',
      'Bearer tresor_ses_new',
    ])
  })

  it('stops for good when the renewed bearer is refused too, or when the renewal fails', async () => {
    const twice = await serve([refused, refused, (_req, res) => sse(res)])
    let calls = 0
    let fatal: ApiError | undefined
    subscribeEvents({
      baseUrl: twice.url,
      token: 'tresor_ses_a',
      onEvent: () => undefined,
      renewToken: () => Promise.resolve(`tresor_ses_${++calls}`),
      onFatal: (err) => (fatal = err),
    })
    await until(() => fatal !== undefined)
    await new Promise((r) => setTimeout(r, 60))
    expect([calls, twice.seen.length, fatal?.code, fatal?.message]).toEqual([
      1,
      2,
      'UNAUTHENTICATED',
      'expired',
    ])

    const failing = await serve([refused])
    let ended: ApiError | undefined
    subscribeEvents({
      baseUrl: failing.url,
      token: 'tresor_ses_b',
      onEvent: () => undefined,
      renewToken: () =>
        Promise.reject(
          new ApiError('UNAUTHENTICATED', 'your single sign-on session has ended', {
            httpStatus: 401,
          }),
        ),
      onFatal: (err) => (ended = err),
    })
    await until(() => ended !== undefined)
    expect(ended?.message).toBe('your single sign-on session has ended')
    expect(failing.seen).toHaveLength(1)
  })
})

async function until(check: () => boolean, ms = 5000): Promise<void> {
  const deadline = Date.now() + ms
  while (!check()) {
    if (Date.now() > deadline) throw new Error('timed out')
    await new Promise((r) => setTimeout(r, 5))
  }
}
