import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { verifyWebhookSignature } from '../../src/services/webhooks/signature.ts'
import { ENGINES } from '../helpers/stores.ts'
import { call, ok, startApp, type AppUnderTest } from '../http/helpers/app.ts'
import { newProject } from '../http/helpers/fixtures.ts'
import { startReceiver, type Answer, type Receiver } from './helpers/receiver.ts'
import {
  createHook,
  deliveriesOf,
  frozenClock,
  release,
  workerFor,
  type Delivery,
} from './helpers/setup.ts'

const gap = (d: Delivery | undefined) =>
  Date.parse(d?.nextAttemptAt ?? '') - Date.parse(d?.lastAttemptAt ?? '')

describe.each(ENGINES)('webhook retries on %s', (engine) => {
  let t: AppUnderTest
  const receivers: Receiver[] = []
  const receiver = async (answer: (n: number) => Answer) => {
    const rx = await startReceiver(answer)
    receivers.push(rx)
    return rx
  }

  beforeAll(async () => {
    t = await startApp({ engine, logLevel: 'info' })
  })
  // Each test leaves no pending delivery behind for the next one's workers to pick up.
  const hooks: string[] = []
  afterEach(async () => {
    await Promise.all(receivers.splice(0).map((r) => r.close()))
    for (const url of hooks.splice(0)) await call(t, 'DELETE', url)
  })
  afterAll(() => t.close())

  /** A project with one webhook to `url` and one release of staging, due now on `clock`. */
  async function released(url: string, clock = frozenClock()) {
    const p = await newProject(t, 'retry')
    const hook = await createHook(t, p.slug, { url })
    hooks.push(`/v1/projects/${p.slug}/webhooks/${hook.id}`)
    await release(t, p.slug, 'staging')
    clock.catchUp()
    return { p, hook, clock, list: () => deliveriesOf(t, p.slug, hook.id) }
  }

  it('failing twice then succeeding: delivered by attempt 3, after waits of 1 s then 2 s', async () => {
    const rx = await receiver((n) => (n <= 2 ? 500 : 200))
    const { hook, clock, list } = await released(`${rx.url}/hook`)
    const { worker } = workerFor(t, clock)
    expect(await worker.runDue()).toBe(1)
    let [d] = await list()
    expect(d).toMatchObject({ status: 'pending', attempts: 1, lastStatusCode: 500 })
    expect(d?.lastError).toBe('HTTP 500')
    expect(gap(d)).toBe(1000)
    // Not due before its time.
    clock.advance(999)
    expect(await worker.runDue()).toBe(0)
    clock.advance(1)
    expect(await worker.runDue()).toBe(1)
    ;[d] = await list()
    expect(d).toMatchObject({ status: 'pending', attempts: 2, lastStatusCode: 500 })
    expect(gap(d)).toBe(2000)
    clock.advance(2000)
    expect(await worker.runDue()).toBe(1)
    ;[d] = await list()
    expect(d).toMatchObject({ status: 'delivered', attempts: 3, lastStatusCode: 200 })
    expect(d).toMatchObject({ lastError: null, nextAttemptAt: null })
    expect(rx.received).toHaveLength(3)
    // Every attempt is the same delivery, re-signed with its own time.
    expect(new Set(rx.received.map((r) => r.body)).size).toBe(1)
    expect(new Set(rx.received.map((r) => r.headers['tresor-delivery'])).size).toBe(1)
    for (const r of rx.received) {
      const header = String(r.headers['tresor-signature'])
      expect(verifyWebhookSignature(hook.secret, header, r.body, 300, clock.ms)).toBe(true)
    }
  })

  it('always failing: failed after 8 attempts, waits doubling to a cap; a manual retry delivers', async () => {
    let down = true
    const rx = await receiver(() => (down ? 503 : 204))
    const { p, hook, clock, list } = await released(`${rx.url}/hook`)
    const { worker } = workerFor(t, clock)
    const waits: number[] = []
    for (let attempt = 1; attempt <= 8; attempt++) {
      expect(await worker.runDue()).toBe(1)
      const [d] = await list()
      expect(d?.attempts).toBe(attempt)
      if (attempt < 8) {
        waits.push(gap(d))
        clock.advance(gap(d))
      }
    }
    expect(waits).toEqual([1000, 2000, 4000, 8000, 16000, 32000, 60000])
    let [d] = await list()
    expect(d).toMatchObject({ status: 'failed', attempts: 8, lastStatusCode: 503 })
    expect(d).toMatchObject({ nextAttemptAt: null, lastError: 'HTTP 503' })
    clock.advance(3_600_000)
    expect(await worker.runDue()).toBe(0)
    expect(rx.received).toHaveLength(8)

    down = false
    const url = `/v1/projects/${p.slug}/webhooks/${hook.id}/deliveries/${d?.id}/retry`
    const retried = await ok<Delivery>(t, 'POST', url)
    expect(retried).toMatchObject({ id: d?.id, status: 'pending', attempts: 0 })
    clock.catchUp()
    expect(await worker.runDue()).toBe(1)
    ;[d] = await list()
    expect(d).toMatchObject({ status: 'delivered', attempts: 1, lastStatusCode: 204 })
    const audit = await ok<{ events: { detail: Record<string, unknown> }[] }>(
      t,
      'GET',
      '/v1/audit?action=webhook.delivery.retry',
    )
    expect(audit.events[0]?.detail).toMatchObject({ webhookId: hook.id, deliveryId: d?.id })
  })

  it('records why an attempt failed in its own words: redirect, timeout, refused', async () => {
    const moved = await receiver(() => ({ redirect: '/elsewhere' }))
    const hung = await receiver(() => 'hang')
    const gone = await receiver(() => 204)
    const goneUrl = `${gone.url}/hook`
    await gone.close()
    const cases = [
      { url: `${moved.url}/hook`, code: 302, error: 'HTTP 302 (redirects are not followed)' },
      { url: `${hung.url}/hook`, code: null, error: 'timed out after 300 ms' },
      { url: goneUrl, code: null, error: 'connection failed (ECONNREFUSED)' },
    ]
    for (const c of cases) {
      const { clock, list } = await released(c.url)
      const { worker, errors } = workerFor(t, clock, { policy: { timeoutMs: 300 } })
      expect(await worker.runDue()).toBe(1)
      const [d] = await list()
      expect(d).toMatchObject({ status: 'pending', attempts: 1, lastStatusCode: c.code })
      expect(d?.lastError).toBe(c.error)
      expect(errors).toEqual([])
      // Its retry must not be due for the next case's worker (on a slow machine, over 1 s later).
      await call(t, 'DELETE', hooks.pop() ?? '')
    }
    expect(moved.hits('/elsewhere')).toBe(0)
    expect(moved.hits('/hook')).toBe(1)
  })

  it("never copies the receiver's response body into the delivery log", async () => {
    const rx = await receiver(() => 500)
    const { p, hook, clock } = await released(`${rx.url}/hook`)
    await workerFor(t, clock).worker.runDue()
    const res = await call(t, 'GET', `/v1/projects/${p.slug}/webhooks/${hook.id}/deliveries`)
    expect(res.statusCode).toBe(200)
    expect(res.body).toContain('HTTP 500')
    expect(res.body).not.toContain('BODY-CANARY')
  })

  it('deleting a webhook stops its deliveries, queued or being retried', async () => {
    const rx = await receiver(() => 500)
    const { p, hook, clock, list } = await released(`${rx.url}/hook`)
    const { worker } = workerFor(t, clock)
    expect(await worker.runDue()).toBe(1)
    await release(t, p.slug, 'staging')
    expect(await list()).toHaveLength(2)
    await ok(t, 'DELETE', `/v1/projects/${p.slug}/webhooks/${hook.id}`, { status: 204 })
    clock.advance(3_600_000)
    expect(await worker.runDue()).toBe(0)
    expect(rx.received).toHaveLength(1)
    const res = await call(t, 'GET', `/v1/projects/${p.slug}/webhooks/${hook.id}/deliveries`)
    expect(res.statusCode).toBe(404)
    expect(await ok(t, 'GET', `/v1/projects/${p.slug}/webhooks`)).toEqual({ webhooks: [] })
    expect(
      await t.sql(`select id from webhook_deliveries where webhook_id = '${hook.id}'`),
    ).toEqual([])
  })

  it('two workers scanning the same deliveries at once send each exactly once', async () => {
    const rx = await receiver(() => 204)
    const { p, clock, list } = await released(`${rx.url}/hook`)
    for (let i = 0; i < 5; i++) await release(t, p.slug, 'staging')
    clock.catchUp()
    const a = workerFor(t, clock).worker
    const b = workerFor(t, clock).worker
    const sent = await Promise.all([a.runDue(), b.runDue(), a.runDue(), b.runDue()])
    expect(sent.reduce((x, y) => x + y, 0)).toBe(6)
    expect(rx.received).toHaveLength(6)
    expect(new Set(rx.received.map((r) => r.headers['tresor-delivery'])).size).toBe(6)
    expect((await list()).map((d) => [d.status, d.attempts])).toEqual(
      Array.from({ length: 6 }, () => ['delivered', 1]),
    )
  })

  it('the loop sleeps until the next retry is due, then until the poll interval', async () => {
    const rx = await receiver((n) => (n === 1 ? 500 : 204))
    const { clock, list } = await released(`${rx.url}/hook`)
    const timers: { fn: () => void; ms: number }[] = []
    const { worker } = workerFor(t, clock, {
      pollMs: 5000,
      schedule: (fn, ms) => {
        timers.push({ fn, ms })
        return () => {}
      },
    })
    worker.start()
    expect(timers.map((x) => x.ms)).toEqual([0])
    timers[0]?.fn()
    await expect.poll(() => timers.length).toBe(2)
    expect(timers[1]?.ms).toBe(1000)
    clock.advance(1000)
    timers[1]?.fn()
    await expect.poll(() => timers.length).toBe(3)
    expect(timers[2]?.ms).toBe(5000)
    expect((await list())[0]).toMatchObject({ status: 'delivered', attempts: 2 })
    await worker.stop()
    worker.wake()
    expect(timers).toHaveLength(3)
  })
})
