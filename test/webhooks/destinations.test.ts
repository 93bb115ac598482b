// With TRESOR_WEBHOOK_ALLOW_PRIVATE off (the default), a webhook cannot be pointed at the
// server's own network: loopback, private and link-local addresses are refused when registered,
// and a host name that resolves to one is refused at each attempt, before any connection.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { ENGINES } from '../helpers/stores.ts'
import { call, startApp, type AppUnderTest } from '../http/helpers/app.ts'
import { expectProblem, newProject } from '../http/helpers/fixtures.ts'
import { createHook, deliveriesOf, frozenClock, release, workerFor } from './helpers/setup.ts'

describe.each(ENGINES)('webhook destinations on %s', (engine) => {
  let t: AppUnderTest
  beforeAll(async () => {
    t = await startApp({ engine, webhookAllowPrivate: false })
  })
  afterAll(() => t.close())

  it.each([
    ['http://127.0.0.1:9/hook', '127.0.0.1 is a loopback, private or link-local address'],
    ['http://169.254.169.254/latest/meta-data/', '169.254.169.254 is a loopback'],
    ['http://10.0.0.8:8080/deploy', '10.0.0.8 is a loopback'],
    ['http://[::1]:7070/', '::1 is a loopback'],
    ['https://localhost/hook', 'localhost is this machine'],
  ])('refuses to register %s, naming the field, and registers nothing', async (url, why) => {
    const p = await newProject(t, 'dest')
    const res = await call(t, 'POST', `/v1/projects/${p.slug}/webhooks`, { body: { url } })
    const problem = expectProblem(res, 400, 'VALIDATION_FAILED')
    expect(problem.errors).toEqual([
      { field: 'url', message: expect.stringContaining(why) as string },
    ])
    expect(res.body).toContain('TRESOR_WEBHOOK_ALLOW_PRIVATE=true')
    const list = await call(t, 'GET', `/v1/projects/${p.slug}/webhooks`)
    expect(list.json<{ webhooks: unknown[] }>().webhooks).toEqual([])
  })

  it('refuses, at send time and without connecting, a name that resolves to an internal address', async () => {
    const p = await newProject(t, 'dest')
    const hook = await createHook(t, p.slug, { url: 'https://deploy.internal.test/hook' })
    await release(t, p.slug, 'staging')
    const clock = frozenClock()
    clock.catchUp()
    const fetched: string[] = []
    const { worker, errors } = workerFor(t, clock, {
      allowInternal: false,
      lookup: (host) =>
        Promise.resolve(host === 'deploy.internal.test' ? [{ address: '10.1.2.3' }] : []),
      fetch: (url) => {
        fetched.push(url)
        return Promise.resolve(new Response(null, { status: 200 }))
      },
    })
    expect(await worker.runDue()).toBe(1)
    const [d] = await deliveriesOf(t, p.slug, hook.id)
    expect(d).toMatchObject({ status: 'pending', attempts: 1, lastStatusCode: null })
    expect(d?.lastError).toBe(
      'not sent: deploy.internal.test resolves to 10.1.2.3, a loopback, private or link-local address (TRESOR_WEBHOOK_ALLOW_PRIVATE is off)',
    )
    expect(fetched).toEqual([])
    expect(errors).toEqual([])
    await call(t, 'DELETE', `/v1/projects/${p.slug}/webhooks/${hook.id}`)
  })

  it('sends to a name that resolves to public addresses only', async () => {
    const p = await newProject(t, 'dest')
    const hook = await createHook(t, p.slug, { url: 'https://deploy.example.test/hook' })
    await release(t, p.slug, 'staging')
    const clock = frozenClock()
    clock.catchUp()
    const fetched: string[] = []
    const { worker } = workerFor(t, clock, {
      allowInternal: false,
      lookup: () => Promise.resolve([{ address: '93.184.216.34' }]),
      fetch: (url) => {
        fetched.push(url)
        return Promise.resolve(new Response(null, { status: 204 }))
      },
    })
    expect(await worker.runDue()).toBe(1)
    const [d] = await deliveriesOf(t, p.slug, hook.id)
    expect(d).toMatchObject({ status: 'delivered', attempts: 1, lastStatusCode: 204 })
    expect(fetched).toEqual(['https://deploy.example.test/hook'])
  })
})
