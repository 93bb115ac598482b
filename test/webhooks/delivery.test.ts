import { randomBytes } from 'node:crypto'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { verifyWebhookSignature } from '../../src/services/webhooks/signature.ts'
import { ENGINES } from '../helpers/stores.ts'
import { ok, startApp, type AppUnderTest } from '../http/helpers/app.ts'
import { newProject, type TestProject } from '../http/helpers/fixtures.ts'
import { startReceiver, type Receiver } from './helpers/receiver.ts'
import {
  createHook,
  deliveriesOf,
  frozenClock,
  matching,
  release,
  workerFor,
  type CreatedHook,
  type TestWorker,
} from './helpers/setup.ts'

const canary = `canary-${randomBytes(12).toString('hex')}`

describe.each(ENGINES)('release webhooks deliver on %s', (engine) => {
  let t: AppUnderTest
  let rx: Receiver
  let w: TestWorker
  let p: TestProject
  let hook: CreatedHook
  const clock = frozenClock()
  const secrets: string[] = []

  beforeAll(async () => {
    t = await startApp({ engine })
    rx = await startReceiver()
    w = workerFor(t, clock)
    p = await newProject(t, 'hooks')
  })
  afterAll(async () => {
    await rx.close()
    await t.close()
  })

  it('registers a webhook: the secret is shown once, sealed at rest, never listed', async () => {
    hook = await createHook(t, p.slug, { url: `${rx.url}/deploy?team=a`, description: 'restart' })
    secrets.push(hook.secret)
    expect(hook).toEqual({
      id: matching(/^whk_[0-9a-z]{16}$/),
      url: `${rx.url}/deploy?team=a`,
      environments: null,
      secret: matching(/^whsec_[A-Za-z0-9_-]{43}$/),
    })
    const list = await ok<{ webhooks: unknown[] }>(t, 'GET', `/v1/projects/${p.slug}/webhooks`)
    expect(list.webhooks).toEqual([
      {
        id: hook.id,
        url: `${rx.url}/deploy?team=a`,
        description: 'restart',
        environments: null,
        createdBy: matching(/^(mem|tok)_/),
        createdAt: matching(),
      },
    ])
    expect(JSON.stringify(list)).not.toContain(hook.secret.slice(6))
    const rows = await t.sql('select * from webhooks')
    expect(rows).toHaveLength(1)
    // Every column as text, blobs byte for byte: the secret is in none of them.
    const stored = rows.map((r) =>
      Object.values(r).map((v) => (Buffer.isBuffer(v) ? v.toString('latin1') : String(v))),
    )
    expect(rows[0]?.['sealed_secret']).toBeInstanceOf(Buffer)
    expect(JSON.stringify(stored)).not.toContain(hook.secret.slice(6))
  })

  it('each release sends exactly one signed delivery with names only, never a value', async () => {
    await ok(t, 'PATCH', `/v1/projects/${p.slug}/environments/staging/vars`, {
      body: { env: { HOST: 'shop.example.com', DB_PASSWORD: canary }, secrets: ['DB_PASSWORD'] },
    })
    const rel = await release(t, p.slug, 'staging')
    clock.catchUp()
    expect(await w.worker.runDue()).toBe(1)
    expect(rx.received).toHaveLength(1)
    const got = rx.received[0]!
    expect(got.method).toBe('POST')
    expect(got.path).toBe('/deploy?team=a')
    const body = JSON.parse(got.body) as { id: string; changedKeys: string[] }
    expect(got.headers).toMatchObject({
      'content-type': 'application/json',
      'user-agent': 'Tresor-Webhooks/0.0.0-test',
      'tresor-event': 'release.created',
      'tresor-delivery': body.id,
    })
    const signature = String(got.headers['tresor-signature'])
    expect(signature).toMatch(/^t=\d+,v1=[0-9a-f]{64}$/)
    expect(verifyWebhookSignature(hook.secret, signature, got.body, 300)).toBe(true)
    expect(verifyWebhookSignature(`${hook.secret}x`, signature, got.body, 300)).toBe(false)
    expect({ ...body, changedKeys: [...body.changedKeys].sort() }).toEqual({
      type: 'release.created',
      id: matching(/^dlv_[0-9a-z]{16}$/),
      release: { id: rel.id, number: 1, revision: rel.revision },
      environment: { id: p.envs['staging'], slug: 'staging' },
      project: { id: p.id, slug: p.slug },
      changedKeys: ['DB_PASSWORD', 'HOST'],
      deployId: rel.deployId,
      createdAt: rel.createdAt,
    })
    expect(got.body).not.toContain(canary)
    expect(got.body).not.toContain('shop.example.com')
    // Nothing more is due: a second scan sends nothing.
    expect(await w.worker.runDue()).toBe(0)
    expect(rx.received).toHaveLength(1)
    const [d] = await deliveriesOf(t, p.slug, hook.id)
    expect(d).toMatchObject({
      id: body.id,
      status: 'delivered',
      attempts: 1,
      lastStatusCode: 204,
      lastError: null,
      nextAttemptAt: null,
      deliveredAt: matching(),
      releaseId: rel.id,
      payload: body,
    })
  })

  it('a later release carries only the keys changed since, shared ones as project.KEY', async () => {
    await ok(t, 'PUT', `/v1/projects/${p.slug}/environments/staging/vars`, {
      body: { key: 'HOST', value: 'shop2.example.com' },
    })
    await ok(t, 'PATCH', `/v1/projects/${p.slug}/vars`, { body: { env: { REGION: 'eu-west' } } })
    const rel = await release(t, p.slug, 'staging')
    clock.catchUp()
    expect(await w.worker.runDue()).toBe(1)
    expect(rx.received).toHaveLength(2)
    const body = JSON.parse(rx.received[1]!.body) as Record<string, unknown>
    expect(body).toMatchObject({
      release: { id: rel.id, number: 2 },
      changedKeys: ['HOST', 'project.REGION'],
    })
    expect(rx.received[1]!.body).not.toContain('eu-west')
    const list = await deliveriesOf(t, p.slug, hook.id)
    expect(list.map((d) => [d.payload.release.number, d.status])).toEqual([
      [2, 'delivered'],
      [1, 'delivered'],
    ])
  })

  it('a webhook limited to production hears nothing of staging', async () => {
    const prod = await createHook(t, p.slug, {
      url: `${rx.url}/prod`,
      environments: ['production'],
    })
    secrets.push(prod.secret)
    expect(prod.environments).toEqual(['production'])
    await release(t, p.slug, 'staging')
    clock.catchUp()
    expect(await w.worker.runDue()).toBe(1)
    expect(rx.hits('/prod')).toBe(0)
    const rel = await release(t, p.slug, 'production')
    clock.catchUp()
    expect(await w.worker.runDue()).toBe(2)
    expect(rx.hits('/prod')).toBe(1)
    const last = rx.received.find((r) => r.path === '/prod')!
    expect(
      verifyWebhookSignature(prod.secret, String(last.headers['tresor-signature']), last.body),
    ).toBe(true)
    expect(JSON.parse(last.body)).toMatchObject({
      release: { id: rel.id },
      environment: { slug: 'production' },
    })
  })

  it('no secret ever appears in the logs, the audit trail or a worker error', async () => {
    const audit = await ok<{ events: { action: string; detail: unknown }[] }>(
      t,
      'GET',
      '/v1/audit?limit=1000',
    )
    const created = audit.events.filter((e) => e.action === 'webhook.create')
    expect(created.map((e) => e.detail)).toEqual(
      expect.arrayContaining([
        { webhookId: hook.id, origin: rx.url },
        { webhookId: matching(), origin: rx.url, environments: ['production'] },
      ]),
    )
    const trail = JSON.stringify(audit)
    expect(trail).not.toContain('/deploy?team')
    const logs = t.logs.join('\n')
    expect(logs.length).toBeGreaterThan(0)
    for (const secret of secrets) {
      expect(trail).not.toContain(secret.slice(6))
      expect(logs).not.toContain(secret.slice(6))
    }
    expect(logs).not.toContain(canary)
    expect(w.errors).toEqual([])
  })
})
