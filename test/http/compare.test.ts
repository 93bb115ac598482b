// Two environments compared by the server: config values shown, secrets compared by value but
// only named, identical secrets listed, and tokens limited to one environment kept out.
import { beforeAll, expect, it } from 'vitest'
import { call, ok } from './helpers/app.ts'
import {
  canaryValue,
  describeApp,
  expectProblem,
  mintToken,
  newProject,
  type TestProject,
} from './helpers/fixtures.ts'

interface Compare {
  from: string
  to: string
  fromRevision: number
  toRevision: number
  added: unknown[]
  removed: unknown[]
  changed: unknown[]
  identicalSecrets: string[]
}

describeApp('environment compare', (t) => {
  let p: TestProject
  const shared = canaryValue()
  const stagingOnly = canaryValue()
  const prodOnly = canaryValue()
  const patch = (env: string, body: unknown) =>
    ok(t(), 'PATCH', `/v1/projects/${p.slug}/environments/${env}/vars`, { body })
  beforeAll(async () => {
    p = await newProject(t())
    await patch('staging', {
      env: { LOG_LEVEL: 'debug', ONLY_STAGING: '1', API_KEY: shared, DB_PASSWORD: stagingOnly },
      secrets: ['API_KEY', 'DB_PASSWORD'],
    })
    await patch('production', {
      env: { LOG_LEVEL: 'warn', API_KEY: shared, DB_PASSWORD: prodOnly, SENTRY_DSN: 'https://s' },
      secrets: ['API_KEY', 'DB_PASSWORD'],
    })
  })

  it('names what differs, shows config values only, and lists secrets equal on both sides', async () => {
    const url = `/v1/projects/${p.slug}/compare?from=staging&to=production`
    const res = await call(t(), 'GET', url)
    expect(res.statusCode).toBe(200)
    expect(res.json<Compare>()).toEqual({
      from: 'staging',
      to: 'production',
      fromRevision: 1,
      toRevision: 1,
      added: [{ key: 'SENTRY_DSN', kind: 'config', value: 'https://s' }],
      removed: [{ key: 'ONLY_STAGING', kind: 'config' }],
      changed: [
        { key: 'LOG_LEVEL', kind: 'config', before: 'debug', after: 'warn' },
        { key: 'DB_PASSWORD', kind: 'secret' },
      ],
      identicalSecrets: ['API_KEY'],
    })
    for (const secret of [shared, stagingOnly, prodOnly]) {
      expect(res.body).not.toContain(secret)
      expect(res.body).not.toContain(secret.slice(0, 5))
    }
    // The /v1/repos alias and environment ids answer the same.
    const alias = await ok<Compare>(
      t(),
      'GET',
      `/v1/repos/${p.id}/compare?from=${p.envs['staging']}&to=production`,
    )
    expect(alias.identicalSecrets).toEqual(['API_KEY'])
    expect(alias.from).toBe('staging')
  })

  it('an environment compared with itself has no differences, and every secret is identical', async () => {
    const same = await ok<Compare>(
      t(),
      'GET',
      `/v1/projects/${p.slug}/compare?from=production&to=production`,
    )
    expect([same.added, same.removed, same.changed]).toEqual([[], [], []])
    expect(same.identicalSecrets).toEqual(['API_KEY', 'DB_PASSWORD'])
  })

  it('refuses a missing environment by name, and a token limited to staging cannot look at production', async () => {
    const missing = await call(t(), 'GET', `/v1/projects/${p.slug}/compare?from=staging&to=nope`)
    expectProblem(missing, 404, 'NOT_FOUND')
    expect(missing.body).toContain('nope')
    const noTo = await call(t(), 'GET', `/v1/projects/${p.slug}/compare?from=staging`)
    expectProblem(noTo, 400, 'VALIDATION_FAILED')
    expect(noTo.body).toContain('to')
    const { token } = await mintToken(t(), {
      scopes: ['read'],
      project: p.slug,
      environments: ['staging'],
    })
    const limited = await call(
      t(),
      'GET',
      `/v1/projects/${p.slug}/compare?from=staging&to=production`,
      {
        token,
      },
    )
    expect([403, 404]).toContain(limited.statusCode)
    expect(limited.body).not.toContain('API_KEY')
  })
})
