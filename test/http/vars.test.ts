// The variable routes of an environment with exact bodies: set, list, merge, replace, delete,
// reserved names, If-Match and ETags, on every engine under test.
import { beforeAll, expect, it } from 'vitest'
import { call, ok } from './helpers/app.ts'
import {
  describeApp,
  expectProblem,
  like,
  newProject,
  type TestProject,
} from './helpers/fixtures.ts'

interface Listed {
  vars: Record<string, unknown>[]
  count: number
  revision: number
  redeployRequired: boolean
  warnings?: string[]
}

/** The listing without the per-key change stamps (asserted once on their own). */
const bare = (list: Listed) => ({
  ...list,
  vars: list.vars.map(({ updatedAt: _a, updatedBy: _b, ...v }) => v),
})

const systemOf = (p: TestProject, env: string) => [
  { key: 'PORT', kind: 'system', value: '3000', system: true },
  { key: 'APP_ENV', kind: 'system', value: env, system: true },
  { key: 'TRESOR_PROJECT_SLUG', kind: 'system', value: p.slug, system: true },
  { key: 'TRESOR_ENV_SLUG', kind: 'system', value: env, system: true },
]

describeApp('variable routes', (t) => {
  let p: TestProject
  let base: string
  let ownerId: string
  beforeAll(async () => {
    p = await newProject(t())
    base = `/v1/projects/${p.slug}/environments/staging/vars`
    ownerId = (await ok<{ memberId: string }>(t(), 'GET', '/v1/whoami')).memberId
  })

  it('PUT sets a new key as a secret by default and answers its preview, revision and redeployRequired', async () => {
    const res = await call(t(), 'PUT', base, {
      body: { key: 'SECRET_KEY', value: 'super-secret-value' },
    })
    expect(res.statusCode).toBe(200)
    expect(res.headers['etag']).toBe('"1"')
    expect(res.json()).toEqual({
      key: 'SECRET_KEY',
      kind: 'secret',
      preview: 'super***alue',
      revision: 1,
      warnings: [],
      redeployRequired: true,
    })
    const short = { key: 'API_TOKEN', value: 'fifteen-chars!!', kind: 'secret' }
    expect(await ok(t(), 'PUT', base, { body: short })).toEqual({
      key: 'API_TOKEN',
      kind: 'secret',
      preview: '***',
      revision: 2,
      warnings: [],
      redeployRequired: true,
    })
    const sixteen = { key: 'SIXTEEN', value: '0123456789abcdef', kind: 'secret' }
    expect(await ok(t(), 'PUT', base, { body: sixteen })).toMatchObject({ preview: '01234***cdef' })
  })

  it('PUT a config key shows its value; a config key named like a secret gets a warning; empty stays empty', async () => {
    const body = { key: 'LOG_LEVEL', value: 'debug', kind: 'config' }
    expect(await ok(t(), 'PUT', base, { body })).toEqual({
      key: 'LOG_LEVEL',
      kind: 'config',
      value: 'debug',
      revision: 4,
      warnings: [],
      redeployRequired: true,
    })
    const risky = await ok(t(), 'PUT', base, {
      body: { key: 'DB_PASSWORD', value: 'x', kind: 'config' },
    })
    expect(risky['warnings']).toEqual([
      'DB_PASSWORD looks like a secret but is stored as config (readable by anyone who can read this environment); set kind "secret" to mask it',
    ])
    // An existing key keeps its kind when none is given; the empty string is a value.
    expect(await ok(t(), 'PUT', base, { body: { key: 'LOG_LEVEL', value: '' } })).toMatchObject({
      kind: 'config',
      value: '',
      revision: 6,
    })
  })

  it('GET lists names, kinds, previews (never a secret value), system variables, count and revision, with an ETag', async () => {
    const res = await call(t(), 'GET', base)
    expect(res.headers['etag']).toBe('"6"')
    const list = res.json<Listed>()
    expect(bare(list)).toEqual({
      vars: [
        { key: 'SECRET_KEY', kind: 'secret', preview: 'super***alue' },
        { key: 'API_TOKEN', kind: 'secret', preview: '***' },
        { key: 'SIXTEEN', kind: 'secret', preview: '01234***cdef' },
        { key: 'LOG_LEVEL', kind: 'config', value: '' },
        { key: 'DB_PASSWORD', kind: 'config', value: 'x' },
        ...systemOf(p, 'staging'),
      ],
      count: 9,
      revision: 6,
      redeployRequired: true,
    })
    expect(list.vars[0]).toMatchObject({
      updatedBy: ownerId,
      updatedAt: like(/Z$/),
    })
    expect(res.body).not.toContain('super-secret-value')
    // Environments are isolated: nothing set on staging shows on production.
    const prod = await ok<Listed>(t(), 'GET', `/v1/projects/${p.id}/environments/production/vars`)
    expect(bare(prod)).toEqual({
      vars: systemOf(p, 'production'),
      count: 4,
      revision: 0,
      redeployRequired: false,
    })
  })

  it('PATCH merges keys (marking the named ones secret) and answers the whole list with warnings', async () => {
    const res = await call(t(), 'PATCH', base, {
      body: {
        env: { LOG_LEVEL: 'info', STRIPE_KEY: 'sk_live_abcdefghijkl' },
        secrets: ['STRIPE_KEY'],
      },
    })
    expect(res.statusCode).toBe(200)
    expect(res.headers['etag']).toBe('"7"')
    const list = res.json<Listed>()
    expect(list.revision).toBe(7)
    expect(list.warnings).toEqual([])
    expect(bare(list).vars.slice(0, 6)).toEqual([
      { key: 'SECRET_KEY', kind: 'secret', preview: 'super***alue' },
      { key: 'API_TOKEN', kind: 'secret', preview: '***' },
      { key: 'SIXTEEN', kind: 'secret', preview: '01234***cdef' },
      { key: 'LOG_LEVEL', kind: 'config', value: 'info' },
      { key: 'DB_PASSWORD', kind: 'config', value: 'x' },
      { key: 'STRIPE_KEY', kind: 'secret', preview: 'sk_li***ijkl' },
    ])
  })

  it('PATCH refuses secrets naming keys it does not set, and changes nothing', async () => {
    const res = await call(t(), 'PATCH', base, { body: { env: { A: '1' }, secrets: ['B'] } })
    const problem = expectProblem(res, 400, 'VALIDATION_FAILED')
    expect(problem.errors).toEqual([
      { key: 'B', field: 'secrets', message: 'B is listed in secrets but not set in env' },
    ])
    expect((await ok<Listed>(t(), 'GET', base)).revision).toBe(7)
  })

  it('DELETE one key reports it removed; an absent one is notFound and makes no revision', async () => {
    const res = await call(t(), 'DELETE', `${base}/DB_PASSWORD`)
    expect(res.json()).toEqual({
      removed: ['DB_PASSWORD'],
      notFound: [],
      revision: 8,
      redeployRequired: true,
    })
    expect(await ok(t(), 'DELETE', `${base}/DB_PASSWORD`)).toEqual({
      removed: [],
      notFound: ['DB_PASSWORD'],
      revision: 8,
      redeployRequired: true,
    })
  })

  it('bulk DELETE reports removed and notFound keys in one revision', async () => {
    const out = await ok(t(), 'DELETE', base, { body: { keys: ['SIXTEEN', 'NOPE', 'API_TOKEN'] } })
    expect(out).toEqual({
      removed: ['SIXTEEN', 'API_TOKEN'],
      notFound: ['NOPE'],
      revision: 9,
      redeployRequired: true,
    })
    const keys = (await ok<Listed>(t(), 'GET', base)).vars.map((v) => v['key'])
    expect(keys.slice(0, 3)).toEqual(['SECRET_KEY', 'LOG_LEVEL', 'STRIPE_KEY'])
  })

  it('PATCH replace rewrites the document with exactly what was passed (system variables stay)', async () => {
    const list = await ok<Listed>(t(), 'PATCH', base, {
      body: { env: { ONLY: 'one' }, replace: true },
    })
    expect(bare(list)).toEqual({
      vars: [{ key: 'ONLY', kind: 'config', value: 'one' }, ...systemOf(p, 'staging')],
      count: 5,
      revision: 10,
      redeployRequired: true,
      warnings: [],
    })
  })

  it.each([
    ['PORT', "PORT is a system variable and cannot be changed: Tresor sets it to '3000'"],
    ['APP_ENV', "APP_ENV is a system variable and cannot be changed: Tresor sets it to 'staging'"],
    [
      'TRESOR_DEPLOY_ID',
      'TRESOR_DEPLOY_ID is a system variable and cannot be changed: it is set by Tresor at each release',
    ],
  ])(
    'refuses to set, merge or delete the system variable %s, naming its value',
    async (key, msg) => {
      const puts = await call(t(), 'PUT', base, { body: { key, value: 'mine' } })
      expect(expectProblem(puts, 422, 'RESERVED_VARIABLE')).toMatchObject({
        detail: msg,
        errors: [{ key, message: msg }],
      })
      const patch = await call(t(), 'PATCH', base, { body: { env: { OK_KEY: '1', [key]: 'x' } } })
      expect(expectProblem(patch, 422, 'RESERVED_VARIABLE').errors).toEqual([{ key, message: msg }])
      expectProblem(await call(t(), 'DELETE', `${base}/${key}`), 422, 'RESERVED_VARIABLE')
      const list = await ok<Listed>(t(), 'GET', base)
      expect(list.revision).toBe(10)
      expect(list.vars.map((v) => v['key'])).not.toContain('OK_KEY')
    },
  )

  it('If-Match: the current revision writes, a stale one is 412 with currentRevision, a malformed one 400', async () => {
    const fresh = await call(t(), 'PUT', base, {
      body: { key: 'A', value: '1', kind: 'config' },
      headers: { 'if-match': '"10"' },
    })
    expect(fresh.json()).toMatchObject({ revision: 11 })
    const stale = await call(t(), 'PUT', base, {
      body: { key: 'A', value: '2' },
      headers: { 'if-match': 'W/"10"' },
    })
    expect(expectProblem(stale, 412, 'PRECONDITION_FAILED')).toMatchObject({
      currentRevision: 11,
      detail: 'the document is at revision 11, not 10; re-read and retry',
    })
    for (const method of ['PATCH', 'DELETE'] as const) {
      const body = method === 'PATCH' ? { env: { A: '3' } } : { keys: ['A'] }
      const res = await call(t(), method, base, { body, headers: { 'if-match': '3' } })
      expect(expectProblem(res, 412, 'PRECONDITION_FAILED')['currentRevision']).toBe(11)
    }
    const bad = await call(t(), 'PUT', base, {
      body: { key: 'A', value: '2' },
      headers: { 'if-match': 'yesterday' },
    })
    expect(expectProblem(bad, 400, 'BAD_REQUEST').errors).toEqual([
      { field: 'If-Match', message: 'expected a revision number' },
    ])
    expect(await ok(t(), 'POST', `${base}/A/reveal`)).toEqual({ key: 'A', value: '1' })
  })

  it('validates keys and values with a problem naming the field, and changes nothing', async () => {
    const cases: [unknown, string][] = [
      [{ key: '1ABC', value: 'v' }, 'key'],
      [{ key: 'A B', value: 'v' }, 'key'],
      [{ key: 'A', value: 'a\u0000b' }, 'value'],
      [{ key: 'A', value: 'x'.repeat(65_537) }, 'value'],
      [{ key: 'A', value: 'v', kind: 'password' }, 'kind'],
      [{ value: 'v' }, 'key'],
    ]
    for (const [body, field] of cases) {
      const res = await call(t(), 'PUT', base, { body })
      expect(expectProblem(res, 400, 'VALIDATION_FAILED').errors?.[0]?.field).toBe(field)
    }
    // A bad record key may be a pasted `KEY=value` line: described, never repeated.
    const pasted = await call(t(), 'PATCH', base, {
      body: { env: { 'API_KEY=sk_live_123': '', GOOD: 'x' } },
    })
    expect(expectProblem(pasted, 400, 'VALIDATION_FAILED').errors).toEqual([
      {
        field: 'env',
        message:
          'has an invalid key: key contains a punctuation character at position 8; allowed are letters, digits, _ . -',
      },
    ])
    expect(pasted.body).not.toContain('sk_live')
    const path = await call(t(), 'DELETE', `${base}/A%20B`)
    expect(expectProblem(path, 400, 'VALIDATION_FAILED').errors).toEqual([
      { field: 'params.key', message: 'must match [A-Za-z_][A-Za-z0-9_.-]*' },
    ])
    expect((await ok<Listed>(t(), 'GET', base)).revision).toBe(11)
  })

  it('addresses the same environment by ids, by slugs and through /v1/repos', async () => {
    const urls = [
      `/v1/projects/${p.id}/environments/${p.envs['staging'] ?? ''}/vars`,
      `/v1/repos/${p.slug}/environments/staging/vars`,
      `/v1/repos/${p.id}/environments/${p.envs['staging'] ?? ''}/vars`,
    ]
    const expected = bare(await ok<Listed>(t(), 'GET', base))
    for (const url of urls) expect(bare(await ok<Listed>(t(), 'GET', url))).toEqual(expected)
    const missing = await call(t(), 'GET', `/v1/projects/${p.slug}/environments/nope/vars`)
    expect(expectProblem(missing, 404, 'NOT_FOUND').detail).toBe("environment 'nope' not found")
  })

  it('lists the current release: TRESOR_DEPLOY_ID, redeployRequired false until the next write', async () => {
    const q = await newProject(t())
    const vars = `/v1/projects/${q.slug}/environments/production/vars`
    await ok(t(), 'PUT', vars, { body: { key: 'A', value: '1', kind: 'config' } })
    const release = await ok<{ deployId: string }>(t(), 'POST', vars.replace(/vars$/, 'releases'), {
      body: {},
      status: 201,
    })
    const listed = await ok<Listed>(t(), 'GET', vars)
    expect(listed.redeployRequired).toBe(false)
    expect(listed.vars).toContainEqual({
      key: 'TRESOR_DEPLOY_ID',
      kind: 'system',
      value: release.deployId,
      system: true,
    })
    const put = await ok(t(), 'PUT', vars, { body: { key: 'A', value: '2' } })
    expect(put['redeployRequired']).toBe(true)
    expect((await ok<Listed>(t(), 'GET', vars)).redeployRequired).toBe(true)
    const patched = await ok<Listed>(t(), 'PATCH', vars, { body: { env: { B: '1' } } })
    expect(patched.redeployRequired).toBe(true)
    expect((await ok(t(), 'DELETE', `${vars}/B`))['redeployRequired']).toBe(true)
    // An environment that auto-deploys is released by the write itself.
    await ok(t(), 'PATCH', vars.replace(/\/vars$/, ''), { body: { autoDeploy: true } })
    const auto = await ok(t(), 'PUT', vars, { body: { key: 'A', value: '3' } })
    expect(auto['redeployRequired']).toBe(false)
    expect((await ok<Listed>(t(), 'GET', vars)).redeployRequired).toBe(false)
    // A write that changes nothing makes no release and leaves nothing to deploy.
    const same = await ok(t(), 'PUT', vars, { body: { key: 'A', value: '3' } })
    expect(same).toMatchObject({ revision: auto['revision'], redeployRequired: false })
  })
})
