// Revealing an add-on's variable: the same rules as any secret (secrets:reveal, the production
// rule for developers, never an agent token), audited by key and add-on name, never the value.
import { beforeAll, expect, it } from 'vitest'
import { call, ok } from '../http/helpers/app.ts'
import {
  describeApp,
  expectProblem,
  memberToken,
  mintToken,
  newProject,
  type TestProject,
} from '../http/helpers/fixtures.ts'

const DB = 'postgres://app:db-canary-Password-0123456789@db.internal:5432/app'
const REDIS = 'redis://:redis-canary-Password-0123456789@cache.internal:6379/0'

type AuditEvents = {
  events: Array<{ action: string; keys: string[]; detail?: Record<string, unknown> }>
}

describeApp('revealing add-on variables', (t) => {
  let p: TestProject
  const envPath = (env: string) => `/v1/projects/${p.slug}/environments/${env}`
  const revealPath = (env: string, key: string) => `${envPath(env)}/vars/${key}/reveal`

  beforeAll(async () => {
    p = await newProject(t())
    for (const env of ['staging', 'production']) {
      await ok(t(), 'PUT', `${envPath(env)}/addons/postgres`, {
        body: { vars: { DATABASE_URL: `${DB}-${env}`, DATABASE_POOL_SIZE: '7' } },
      })
      await ok(t(), 'PUT', `${envPath(env)}/addons/redis`, { body: { vars: { REDIS_URL: REDIS } } })
    }
  })

  it('an owner reveals an add-on secret and config; audited with key and add-on, no value', async () => {
    expect(await ok(t(), 'POST', revealPath('staging', 'DATABASE_URL'))).toEqual({
      key: 'DATABASE_URL',
      value: `${DB}-staging`,
    })
    expect(await ok(t(), 'POST', revealPath('production', 'REDIS_URL'))).toEqual({
      key: 'REDIS_URL',
      value: REDIS,
    })
    expect(await ok(t(), 'POST', revealPath('staging', 'DATABASE_POOL_SIZE'))).toEqual({
      key: 'DATABASE_POOL_SIZE',
      value: '7',
    })
    const audit = await ok<AuditEvents>(t(), 'GET', `/v1/audit?project=${p.id}&action=vars.reveal`)
    const reveals = audit.events.filter((e) => e.action === 'vars.reveal')
    expect(reveals.map((e) => [e.keys, e.detail?.['addon'], e.detail?.['kind']])).toEqual(
      expect.arrayContaining([
        [['DATABASE_URL'], 'postgres', 'secret'],
        [['REDIS_URL'], 'redis', 'secret'],
        [['DATABASE_POOL_SIZE'], 'postgres', 'config'],
      ]),
    )
    expect(reveals).toHaveLength(3)
    const body = JSON.stringify(audit)
    expect(body).not.toContain('db-canary-Password')
    expect(body).not.toContain('redis-canary-Password')
  })

  it('needs secrets:reveal: read and write tokens are refused, a reveal token is not', async () => {
    const { token: write } = await mintToken(t(), { scopes: ['read', 'write'], project: p.id })
    const refused = await call(t(), 'POST', revealPath('staging', 'DATABASE_URL'), { token: write })
    expectProblem(refused, 403, 'FORBIDDEN')
    expect(refused.body).not.toContain('db-canary-Password')
    // Config of an add-on is readable like any config.
    expect(
      await ok(t(), 'POST', revealPath('staging', 'DATABASE_POOL_SIZE'), { token: write }),
    ).toEqual({ key: 'DATABASE_POOL_SIZE', value: '7' })
    const { token: reveal } = await mintToken(t(), {
      scopes: ['read', 'secrets:reveal'],
      project: p.id,
    })
    expect(await ok(t(), 'POST', revealPath('staging', 'DATABASE_URL'), { token: reveal })).toEqual(
      { key: 'DATABASE_URL', value: `${DB}-staging` },
    )
  })

  it('a developer reveals production add-on secrets only when granted, with a secrets:reveal token', async () => {
    const dev = await ok<{ id: string }>(t(), 'POST', '/v1/members', {
      body: { email: `dev-${p.slug}@example.com`, role: 'developer' },
      status: 201,
    })
    const plain = await memberToken(t(), dev.id, ['read', 'write'])
    const granted = await memberToken(t(), dev.id, ['read', 'write', 'secrets:reveal'])
    const revealProd = (token: string) =>
      call(t(), 'POST', revealPath('production', 'DATABASE_URL'), { token })
    expectProblem(await revealProd(granted.token), 403, 'FORBIDDEN')
    await ok(t(), 'PATCH', `/v1/members/${dev.id}`, { body: { revealProduction: true } })
    expectProblem(await revealProd(plain.token), 403, 'FORBIDDEN')
    expect(
      await ok(t(), 'POST', revealPath('production', 'DATABASE_URL'), { token: granted.token }),
    ).toEqual({ key: 'DATABASE_URL', value: `${DB}-production` })
  })

  it('an agent token never reveals an add-on variable, whatever its scopes', async () => {
    const made = await ok<{ token: string }>(t(), 'POST', '/v1/tokens', {
      body: { name: 'agent', scopes: ['read', 'write', 'secrets:reveal', 'admin'], agent: true },
      status: 201,
    })
    for (const key of ['DATABASE_URL', 'REDIS_URL']) {
      const res = await call(t(), 'POST', revealPath('staging', key), { token: made.token })
      expectProblem(res, 403, 'FORBIDDEN')
      expect(res.body).not.toContain('canary-Password')
    }
  })

  it('a detached add-on variable is gone: 404, as for any unknown key', async () => {
    await ok(t(), 'DELETE', `${envPath('staging')}/addons/redis`)
    const res = await call(t(), 'POST', revealPath('staging', 'REDIS_URL'))
    expectProblem(res, 404, 'NOT_FOUND')
  })
})
