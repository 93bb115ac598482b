// The audit log over HTTP: filters by project, environment, actor, action and time; never a
// value; and /v1/audit/verify catching a row edited or deleted behind the server's back.
import { beforeAll, expect, it } from 'vitest'
import { call, ok, type AppUnderTest } from './helpers/app.ts'
import {
  describeApp,
  expectProblem,
  mintToken,
  newProject,
  type TestProject,
} from './helpers/fixtures.ts'

interface Event {
  seq: number
  at: string
  actorId: string
  actorKind: string
  action: string
  projectId: string | null
  environmentId: string | null
  keys: string[]
}

const SECRET = 'audit-secret-value-0123456789'

async function events(t: AppUnderTest, query: string): Promise<Event[]> {
  return (await ok<{ events: Event[] }>(t, 'GET', `/v1/audit?${query}`)).events
}

describeApp('audit routes', (t) => {
  let a: TestProject
  let b: TestProject
  let svc: { id: string; token: string }
  let later: string
  beforeAll(async () => {
    a = await newProject(t(), 'aud-a')
    b = await newProject(t(), 'aud-b')
    const vars = (p: TestProject, env: string) => `/v1/projects/${p.slug}/environments/${env}/vars`
    await ok(t(), 'PUT', vars(a, 'staging'), { body: { key: 'S', value: SECRET } })
    await ok(t(), 'PUT', vars(a, 'production'), { body: { key: 'P', value: SECRET } })
    await ok(t(), 'PUT', vars(b, 'staging'), { body: { key: 'B', value: SECRET } })
    svc = await mintToken(t(), { scopes: ['read', 'write'], project: a.slug })
    t().clock.offsetMs = 3_600_000
    later = new Date(Date.now() + 1_800_000).toISOString()
    await ok(t(), 'DELETE', `${vars(a, 'staging')}/S`, { token: svc.token })
    t().clock.offsetMs = 0
  })

  it('filters by project and by environment (slug with project, or id alone)', async () => {
    const byProject = await events(t(), `project=${a.slug}`)
    expect(byProject.map((e) => [e.action, e.keys])).toEqual([
      ['vars.delete', ['S']],
      ['token.create', []],
      ['vars.set', ['P']],
      ['vars.set', ['S']],
      ['project.create', []],
    ])
    expect(new Set(byProject.map((e) => e.projectId))).toEqual(new Set([a.id]))
    const staging = await events(t(), `project=${a.id}&env=staging`)
    expect(staging.map((e) => [e.action, e.environmentId])).toEqual([
      ['vars.delete', a.envs['staging']],
      ['vars.set', a.envs['staging']],
    ])
    expect(await events(t(), `env=${a.envs['staging'] ?? ''}`)).toEqual(staging)
    const slugOnly = await call(t(), 'GET', '/v1/audit?env=staging')
    expect(expectProblem(slugOnly, 400, 'VALIDATION_FAILED').errors).toEqual([
      { field: 'query.env', message: 'give project too, or an environment id' },
    ])
  })

  it('filters by actor, action and time window, and pages with before', async () => {
    const byToken = await events(t(), `actor=${svc.id}`)
    expect(byToken.map((e) => [e.action, e.actorKind])).toEqual([['vars.delete', 'token']])
    const sets = await events(t(), 'action=vars.set')
    expect(sets.map((e) => e.keys[0])).toEqual(['B', 'P', 'S'])
    const afterward = await events(t(), `since=${later}`)
    expect(afterward.map((e) => e.action)).toEqual(['vars.delete'])
    const before = await events(t(), `until=${later}&action=vars.set`)
    expect(before).toEqual(sets)
    // A time with fewer fraction digits still compares as a time, not as text.
    const [first] = sets.slice(-1)
    const coarse = (first?.at ?? '').replace(/\.\d+Z$/, 'Z')
    expect((await events(t(), `since=${coarse}&action=vars.set`)).length).toBe(3)
    const page = await events(t(), `limit=2&before=${sets[0]?.seq ?? 0}`)
    expect(page.map((e) => e.seq)).toEqual([(sets[0]?.seq ?? 0) - 1, (sets[0]?.seq ?? 0) - 2])
  })

  it('never carries a value, and needs the admin scope', async () => {
    const res = await call(t(), 'GET', '/v1/audit?limit=1000')
    expect(res.body).not.toContain(SECRET)
    expect(res.body).not.toContain(SECRET.slice(0, 12))
    const reader = await mintToken(t(), { scopes: ['read', 'write', 'secrets:reveal'] })
    expectProblem(await call(t(), 'GET', '/v1/audit', { token: reader.token }), 403, 'FORBIDDEN')
    const verify = await call(t(), 'GET', '/v1/audit/verify', { token: reader.token })
    expectProblem(verify, 403, 'FORBIDDEN')
  })

  it('verifies the chain, detects an edited row, recovers when it is put back, then detects a deleted one', async () => {
    const total = (await events(t(), 'limit=1000')).length
    expect(await ok(t(), 'GET', '/v1/audit/verify')).toEqual({ ok: true, count: total })
    const [row] = await t().sql('select seq, keys from audit_events where seq = 3')
    const original = String(row?.['keys'])
    await t().sql(`update audit_events set keys = '["FORGED"]' where seq = 3`)
    expect(await ok(t(), 'GET', '/v1/audit/verify')).toEqual({
      ok: false,
      count: 2,
      brokenAt: 3,
      reason: 'content edited',
    })
    await t().sql(`update audit_events set keys = '${original}' where seq = 3`)
    expect(await ok(t(), 'GET', '/v1/audit/verify')).toEqual({ ok: true, count: total })
    await t().sql('delete from audit_events where seq = 5')
    expect(await ok(t(), 'GET', '/v1/audit/verify')).toEqual({
      ok: false,
      count: 4,
      brokenAt: 5,
      reason: 'event missing',
    })
  })
})

describeApp('audit verify after a deleted tail', (t) => {
  it('detects that the newest events were removed', async () => {
    const p = await newProject(t())
    await ok(t(), 'PUT', `/v1/projects/${p.slug}/vars`, { body: { key: 'A', value: '1' } })
    const { count } = await ok<{ count: number }>(t(), 'GET', '/v1/audit/verify')
    await t().sql(`delete from audit_events where seq = ${count}`)
    expect(await ok(t(), 'GET', '/v1/audit/verify')).toEqual({
      ok: false,
      count: count - 1,
      brokenAt: count,
      reason: 'events after this missing',
    })
  })
})
