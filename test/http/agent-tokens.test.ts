// Tokens marked `agent` (issued to AI agents): the server enforces the MCP tools' rules, so the
// same token used with curl or another MCP client cannot read or write a secret.
import { randomBytes } from 'node:crypto'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { ENGINES } from '../helpers/stores.ts'
import { call, ok, startApp, type AppUnderTest } from './helpers/app.ts'

const canary = `canary-${randomBytes(12).toString('hex')}`

describe.each(ENGINES)('agent tokens on %s', (engine) => {
  let t: AppUnderTest
  let agent: string
  const E = '/v1/projects/bot/environments/staging'

  beforeAll(async () => {
    t = await startApp({ engine, logLevel: 'info' })
    await ok(t, 'POST', '/v1/projects', { body: { slug: 'bot' }, status: 201 })
    await ok(t, 'PUT', `${E}/vars`, { body: { key: 'DB_PASSWORD', value: canary, kind: 'secret' } })
    await ok(t, 'POST', `${E}/releases`, { status: 201 })
    const made = await ok<{ token: string }>(t, 'POST', '/v1/tokens', {
      body: { name: 'claude', scopes: ['read', 'write', 'deploy', 'secrets:reveal'], agent: true },
      status: 201,
    })
    agent = made.token
  })
  afterAll(() => t.close())

  it('may set and list config, sees secrets by name and kind only', async () => {
    await ok(t, 'PATCH', `${E}/vars`, { token: agent, body: { env: { LOG_LEVEL: 'debug' } } })
    const res = await call(t, 'GET', `${E}/vars`, { token: agent })
    expect(res.statusCode).toBe(200)
    const secret = res
      .json<{ vars: Array<Record<string, unknown>> }>()
      .vars.find((v) => v['key'] === 'DB_PASSWORD')
    expect(secret).toMatchObject({ key: 'DB_PASSWORD', kind: 'secret' })
    expect(secret).not.toHaveProperty('preview')
    expect(res.body).not.toContain(canary.slice(0, 5) + '***')
  })

  it('cannot reveal, read a release environment, upload a document or mint tokens', async () => {
    const tries = [
      await call(t, 'POST', `${E}/vars/DB_PASSWORD/reveal`, { token: agent }),
      await call(t, 'GET', `${E}/releases/latest/env`, { token: agent }),
      await call(t, 'PUT', `${E}/document`, {
        token: agent,
        body: 'A=1\n',
        headers: { 'content-type': 'text/plain' },
      }),
      await call(t, 'POST', '/v1/tokens', { token: agent, body: { name: 'x', scopes: ['read'] } }),
    ]
    for (const res of tries) {
      expect(res.statusCode).toBe(403)
      expect(res.body).not.toContain(canary)
    }
    // The refused reveal is on record, with its reason.
    const audit = await ok<{ events: Array<Record<string, unknown>> }>(
      t,
      'GET',
      '/v1/audit?action=vars.reveal',
    )
    expect(audit.events[0]).toMatchObject({
      keys: ['DB_PASSWORD'],
      outcome: 'denied',
      requestId: tries[0]?.headers['x-request-id'],
      detail: { reason: 'agent token' },
    })
    expect(JSON.stringify(audit.events)).not.toContain(canary)
  })

  it('cannot write secrets, secret-named keys, credential-like values, or replace secrets away', async () => {
    const cases: Array<[string, object]> = [
      ['PUT', { key: 'NEW_SECRET', value: 'x', kind: 'secret' }],
      ['PUT', { key: 'DB_PASSWORD', value: 'overwrite', kind: 'config' }],
      ['PATCH', { env: { STRIPE_KEY: `sk_live_${randomBytes(12).toString('hex')}` } }],
      ['PATCH', { env: { GITHUB_TOKEN: 'abc' } }],
      ['PATCH', { env: { A: '1' }, replace: true }],
    ]
    for (const [method, body] of cases) {
      const res = await call(t, method, `${E}/vars`, { token: agent, body })
      expect(res.statusCode, JSON.stringify(body)).toBe(403)
      expect(res.json<{ errors: unknown[] }>().errors.length).toBeGreaterThan(0)
    }
    const owner = await ok<{ value: string }>(t, 'POST', `${E}/vars/DB_PASSWORD/reveal`)
    expect(owner.value).toBe(canary)
  })

  it('lists agent tokens as such', async () => {
    const list = await ok<{ tokens: Array<{ name: string; agent: boolean }> }>(
      t,
      'GET',
      '/v1/tokens',
    )
    expect(list.tokens.find((x) => x.name === 'claude')?.agent).toBe(true)
    expect(list.tokens.find((x) => x.name === 'owner')?.agent).toBe(false)
  })
})
