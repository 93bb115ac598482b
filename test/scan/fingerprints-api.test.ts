// `GET /v1/projects/{project}/scan-fingerprints` on every engine: exactly the secrets the caller
// could reveal or deploy, as fingerprints that match values hashed locally, audited by key name,
// and never a value in the body, the audit log or the server's log.
import { beforeAll, expect, it } from 'vitest'
import { fingerprintItem } from '../../src/core/scan/index.ts'
import { call, ok } from '../http/helpers/app.ts'
import {
  addWorkspace,
  describeApp,
  expectProblem,
  mintToken,
  newProject,
  type TestProject,
} from '../http/helpers/fixtures.ts'

interface Wire {
  algorithm: string
  scanKey: string
  minLength: number
  items: {
    key: string
    environment: string | null
    length: number
    hint: number
    spaced: boolean
    fingerprint: string
  }[]
  skipped: string[]
}

const VALUES = {
  staging: { DB_PASSWORD: 'staging-db-pass-9f8e7d', API_TOKEN: 'stg token with spaces 42' },
  production: { DB_PASSWORD: 'prod-db-pass-1a2b3c4d5e', SHORT: 'short-pw-1' },
  shared: { SENTRY_DSN_SECRET: 'https://k3y@sentry.example/42' },
}
const NOT_FINGERPRINTED = {
  CONFIG_URL: 'https://config.example.com/not-secret', // config, not secret
  MULTI: 'line one of a key\nline two of a key', // multi-line
  REF: '${{project.SENTRY_DSN_SECRET}}-suffix', // a reference, not a value
}

describeApp('scan fingerprints', (t) => {
  let p: TestProject
  const url = () => `/v1/projects/${p.slug}/scan-fingerprints`
  const put = (path: string, key: string, value: string, kind = 'secret') =>
    ok(t(), 'PUT', `${path}/vars`, { body: { key, value, kind } })

  beforeAll(async () => {
    p = await newProject(t(), 'scan')
    const base = `/v1/projects/${p.slug}`
    for (const env of ['staging', 'production'] as const)
      for (const [k, v] of Object.entries(VALUES[env]))
        await put(`${base}/environments/${env}`, k, v)
    await put(base, 'SENTRY_DSN_SECRET', VALUES.shared.SENTRY_DSN_SECRET)
    await put(`${base}/environments/staging`, 'CONFIG_URL', NOT_FINGERPRINTED.CONFIG_URL, 'config')
    await put(`${base}/environments/staging`, 'MULTI', NOT_FINGERPRINTED.MULTI)
    await put(`${base}/environments/staging`, 'REF', NOT_FINGERPRINTED.REF)
  })

  it('answers one fingerprint per fingerprintable secret, equal to a local HMAC under the scan key', async () => {
    const res = await call(t(), 'GET', url())
    expect(res.statusCode).toBe(200)
    expect(res.headers['cache-control']).toBe('no-store')
    const body = res.json<Wire>()
    const scanKey = Buffer.from(body.scanKey, 'base64')
    expect(scanKey).toHaveLength(32)
    const expected = [
      fingerprintItem(scanKey, 'SENTRY_DSN_SECRET', null, VALUES.shared.SENTRY_DSN_SECRET),
      ...Object.entries(VALUES.staging).map(([k, v]) => fingerprintItem(scanKey, k, 'staging', v)),
      fingerprintItem(scanKey, 'DB_PASSWORD', 'production', VALUES.production.DB_PASSWORD),
    ]
    const byName = (a: { key: string; environment: string | null }) => `${a.environment}/${a.key}`
    expect({
      ...body,
      items: [...body.items].sort((a, b) => byName(a).localeCompare(byName(b))),
    }).toEqual({
      algorithm: 'hmac-sha256-128',
      scanKey: body.scanKey,
      minLength: 12,
      items: expected.sort((a, b) => byName(a).localeCompare(byName(b))),
      skipped: [],
    })
    for (const v of [
      ...Object.values(VALUES).flatMap((o) => Object.values<string>(o)),
      ...Object.values(NOT_FINGERPRINTED),
    ])
      expect(res.body).not.toContain(v)
  })

  it('keeps one scan key per project, different between projects, also on the /v1/repos alias', async () => {
    const a = await ok<Wire>(t(), 'GET', url())
    const b = await ok<Wire>(t(), 'GET', `/v1/repos/${p.id}/scan-fingerprints`)
    const other = await newProject(t(), 'other')
    const c = await ok<Wire>(t(), 'GET', `/v1/projects/${other.slug}/scan-fingerprints`)
    expect(b.scanKey).toBe(a.scanKey)
    expect(c.scanKey).not.toBe(a.scanKey)
    expect(c.items).toEqual([])
  })

  it('writes an audit event naming the keys, never a value', async () => {
    await ok(t(), 'GET', url())
    const { events } = await ok<{ events: Record<string, unknown>[] }>(
      t(),
      'GET',
      `/v1/audit?project=${p.slug}&action=scan.fingerprints.read&limit=1`,
    )
    expect(events[0]).toMatchObject({
      action: 'scan.fingerprints.read',
      projectId: p.id,
      keys: ['API_TOKEN', 'DB_PASSWORD', 'SENTRY_DSN_SECRET'],
      outcome: 'success',
      detail: { count: 4, skipped: [] },
    })
    const logs = t().logs.join('\n')
    for (const v of Object.values(VALUES).flatMap((o) => Object.values<string>(o)))
      expect(logs).not.toContain(v)
  })

  it('gives a deploy token of one environment only that environment, and refuses a read-only token', async () => {
    const deploy = await mintToken(t(), {
      scopes: ['read', 'deploy'],
      project: p.slug,
      environments: ['staging'],
    })
    const body = await ok<Wire>(t(), 'GET', url(), { token: deploy.token })
    expect(body.items.map((i) => `${i.environment}/${i.key}`).sort()).toEqual([
      'staging/API_TOKEN',
      'staging/DB_PASSWORD',
    ])
    expect(body.skipped).toEqual([])
    const read = await mintToken(t(), { scopes: ['read'], project: p.slug })
    const problem = expectProblem(
      await call(t(), 'GET', url(), { token: read.token }),
      403,
      'FORBIDDEN',
    )
    expect(problem.detail).toContain('secrets:reveal or deploy')
  })

  it('answers 401 without a token and 404 to another workspace', async () => {
    expectProblem(await call(t(), 'GET', url(), { token: null }), 401, 'UNAUTHENTICATED')
    const other = await addWorkspace(t())
    expectProblem(await call(t(), 'GET', url(), { token: other.token }), 404, 'NOT_FOUND')
  })
})
