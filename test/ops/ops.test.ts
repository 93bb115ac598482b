import { randomBytes } from 'node:crypto'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { buildServer, type TresorApp } from '../../src/http/build-server.ts'
import { registerOps } from '../../src/http/metrics.ts'
import { wire } from '../../src/main/wire.ts'

describe('readiness and metrics', () => {
  let app: TresorApp
  let dir: string
  let healthy = true
  const token = `tresor_pat_${randomBytes(20).toString('hex')}`

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'tresor-ops-'))
    const parts = await wire({
      dataDir: dir,
      databaseUrl: undefined,
      rootKey: randomBytes(32),
      bootstrapToken: token,
    })
    app = buildServer({
      version: 't',
      log: { level: 'silent' },
      auth: { authenticate: parts.authenticate },
      bodyLimit: 1 << 20,
      routes: parts.routes,
    })
    registerOps(app, async () => {
      if (!healthy) throw new Error('down')
      await parts.ready()
    })
    app.addHook('onClose', () => parts.close())
    await app.ready()
  })
  afterAll(async () => {
    await app.close()
    rmSync(dir, { recursive: true, force: true })
  })

  it('/readyz answers 200 when the database and keys work, 503 when not', async () => {
    expect((await app.inject({ url: '/readyz' })).json()).toEqual({ ready: true })
    healthy = false
    const down = await app.inject({ url: '/readyz' })
    expect(down.statusCode).toBe(503)
    expect(down.json()).toEqual({ ready: false })
    healthy = true
  })

  it('/metrics counts requests by route pattern, never by key or value', async () => {
    const auth = { authorization: `Bearer ${token}` }
    await app.inject({ method: 'POST', url: '/v1/projects', headers: auth, payload: { slug: 'm' } })
    const secret = `value-${randomBytes(8).toString('hex')}`
    await app.inject({
      method: 'PUT',
      url: '/v1/projects/m/environments/staging/vars',
      headers: auth,
      payload: { key: 'SECRET_NAME_X', value: secret },
    })
    await app.inject({
      method: 'DELETE',
      url: '/v1/projects/m/environments/staging/vars/SECRET_NAME_X',
      headers: auth,
    })
    const text = (await app.inject({ url: '/metrics' })).body
    expect(text).toContain(
      'tresor_http_requests_total{method="PUT",route="/v1/projects/:project/environments/:env/vars",status="200"} 1',
    )
    expect(text).toContain('route="/v1/projects/:project/environments/:env/vars/:key",status="200"')
    expect(text).toMatch(
      /tresor_http_request_duration_seconds_bucket\{method="POST",route="\/v1\/projects",status="201",le="\+Inf"\} 1/,
    )
    expect(text).not.toContain('SECRET_NAME_X')
    expect(text).not.toContain(secret)
  })
})
