import { get, type IncomingMessage } from 'node:http'
import { afterEach, describe, expect, it } from 'vitest'
import { actorOf } from '../../src/http/auth.ts'
import { buildServer, type TresorApp } from '../../src/http/build-server.ts'
import { formatSse, openEventStream } from '../../src/http/sse.ts'
import { createMemoryEventBus } from '../../src/services/events/memory-event-bus.ts'
import { ACTOR, GOOD_TOKEN } from './helpers/test-app.ts'

const bus = createMemoryEventBus()
let app: TresorApp
// Resolved when /v1/slow has begun handling a request (so close() surely comes after it).
let slowStarted: () => void = () => {}

afterEach(async () => {
  await app.close()
})

function streamingApp(): TresorApp {
  return buildServer({
    version: 'test',
    log: { level: 'silent' },
    auth: { authenticate: (token) => Promise.resolve(token === GOOD_TOKEN ? ACTOR : undefined) },
    bodyLimit: 1024,
    routes: [
      (scope) => {
        scope.get('/v1/events', (request, reply) => {
          const stream = openEventStream(request, reply, { heartbeatMs: 50 })
          let n = 0
          const stop = bus.subscribe(actorOf(request).workspaceId, {}, (event) =>
            stream.send({ id: String(++n), event: event.type, data: event }),
          )
          stream.onClose(stop)
        })
        scope.get('/v1/slow', async () => {
          slowStarted()
          await new Promise((r) => setTimeout(r, 300))
          return { done: true }
        })
      },
    ],
  })
}

async function listen(): Promise<string> {
  app = streamingApp()
  await app.listen({ host: '127.0.0.1', port: 0 })
  const address = app.server.address()
  return `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`
}

function open(url: string): Promise<IncomingMessage> {
  return new Promise((resolve, reject) => {
    get(url, { headers: { authorization: `Bearer ${GOOD_TOKEN}` } }, resolve).on('error', reject)
  })
}

async function until(check: () => boolean, ms = 2000): Promise<void> {
  const end = Date.now() + ms
  while (!check()) {
    if (Date.now() > end) throw new Error('timed out')
    await new Promise((r) => setTimeout(r, 10))
  }
}

describe('event streams', () => {
  it('frames events with id/event/data, sends heartbeats, and unsubscribes when the client leaves', async () => {
    const res = await open(`${await listen()}/v1/events`)
    expect(res.statusCode).toBe(200)
    expect(res.headers['content-type']).toBe('text/event-stream; charset=utf-8')
    expect(res.headers['cache-control']).toBe('no-store')
    expect(res.headers['x-request-id']).toMatch(/^req_/)
    let text = ''
    res.on('data', (d: Buffer) => (text += d.toString()))
    await until(() => bus.subscriberCount(ACTOR.workspaceId) === 1)
    const event = {
      type: 'variables.changed' as const,
      projectId: 'prj_1',
      at: '2026-01-01T00:00:00.000Z',
      data: { keys: ['A'] },
    }
    await bus.publish(ACTOR.workspaceId, event)
    await bus.publish('wsp_other', event)
    await until(() => text.includes('data: {'))
    await until(() => text.includes(': heartbeat\n\n'))
    expect(text.startsWith('retry: 3000\n: connected\n\n')).toBe(true)
    expect(text).toContain(`id: 1\nevent: variables.changed\ndata: ${JSON.stringify(event)}\n\n`)
    expect(text).not.toContain('id: 2')
    res.destroy()
    await until(() => bus.subscriberCount() === 0)
  })

  it('ends open streams when the server closes, so shutdown is not held open', async () => {
    const res = await open(`${await listen()}/v1/events`)
    const ended = new Promise((resolve) => res.on('close', resolve))
    res.resume()
    await until(() => bus.subscriberCount() === 1)
    const started = Date.now()
    await app.close()
    await ended
    // Without the stream's end at close, shutdown would wait for the client forever.
    expect(Date.now() - started).toBeLessThan(5000)
    expect(bus.subscriberCount()).toBe(0)
  })

  it('formats multi-line data as several data lines and keeps ids and names on one line', () => {
    expect(formatSse({ id: 'a\nb', event: 'x\r\ny', data: 'one\ntwo\r\nthree' })).toBe(
      'id: a b\nevent: x  y\ndata: one\ndata: two\ndata: three\n\n',
    )
  })
})

describe('shutdown', () => {
  it('finishes an in-flight request after close() starts and refuses new connections', async () => {
    const base = await listen()
    const started = new Promise<void>((resolve) => (slowStarted = resolve))
    const inflight = fetch(`${base}/v1/slow`, {
      headers: { authorization: `Bearer ${GOOD_TOKEN}` },
    })
    await started
    const closing = app.close()
    const res = await inflight
    expect(res.status).toBe(200)
    expect(await res.json()).toEqual({ done: true })
    await closing
    await expect(fetch(`${base}/healthz`)).rejects.toThrow()
  })
})
