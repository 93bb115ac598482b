import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { SEAL_LIMIT } from '../../src/services/keys/seal-guard.ts'
import { canary } from './helpers/world.ts'
import { startServer, type TestServer } from './helpers/server.ts'

const VARS = '/v1/projects/app/environments/production/vars'

describe('key administration API (SQLite, key-file mode)', { timeout: 20_000 }, () => {
  let dir: string
  let s: TestServer
  const secret = canary()
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'tresor-keys-api-'))
    s = await startServer(dir)
    expect((await s.call('POST', '/v1/projects', { slug: 'app' })).status).toBe(201)
    await s.call('PUT', VARS, { key: 'API_URL', value: 'https://api.example', kind: 'config' })
    await s.call('PUT', VARS, { key: 'TOKEN', value: secret, kind: 'secret' })
  })
  afterAll(async () => {
    await s.close()
    rmSync(dir, { recursive: true, force: true })
  })

  it('GET /v1/admin/keys lists data keys with their sealed rows, never key material', async () => {
    const res = await s.call('GET', '/v1/admin/keys')
    expect(res.status).toBe(200)
    expect(res.json).toMatchObject({
      sealLimit: SEAL_LIMIT,
      keys: [{ version: 1, state: 'current' }],
    })
    const keys = res.json['keys'] as { sealedRows: number }[]
    expect(keys[0]?.sealedRows).toBe(2)
    const root = readFileSync(join(dir, 'root.key'))
    for (const form of [root.toString('base64'), root.toString('hex')]) {
      expect(JSON.stringify(res.json)).not.toContain(form.slice(0, 16))
    }
  })

  it('POST rotate-data-key rolls to v2 and re-seals; values read back; audited', async () => {
    const res = await s.call('POST', '/v1/admin/keys/rotate-data-key', {})
    expect(res.status).toBe(200)
    expect(res.json).toMatchObject({ revisions: 2, releases: 0, remaining: 0 })
    expect(String(res.json['keyId'])).toMatch(/:v2$/)
    expect(String(res.json['rotatedFrom'])).toMatch(/:v1$/)
    const list = await s.call('GET', VARS)
    expect(list.json['vars']).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ key: 'API_URL', value: 'https://api.example' }),
      ]),
    )
    const shown = await s.call('POST', `${VARS}/TOKEN/reveal`)
    expect(shown.json).toEqual({ key: 'TOKEN', value: secret })
    const audit = await s.call('GET', '/v1/audit?limit=10')
    const actions = (audit.json['events'] as { action: string }[]).map((e) => e.action)
    expect(actions).toEqual(expect.arrayContaining(['keys.rotate_data_key', 'keys.reseal']))
  })

  it('POST rewrap has nothing to move under an unchanged root key, and says so', async () => {
    const res = await s.call('POST', '/v1/admin/keys/rewrap')
    expect(res.status).toBe(200)
    expect(res.json).toMatchObject({
      dataKeys: 0,
      serverSecrets: 0,
      alreadyCurrent: 3,
      unreadable: [],
    })
  })

  it('a token without the admin scope gets 403 from every key endpoint', async () => {
    const made = await s.call('POST', '/v1/tokens', { name: 'ci', scopes: ['read', 'write'] })
    const token = String(made.json['token'])
    for (const [method, url] of [
      ['GET', '/v1/admin/keys'],
      ['POST', '/v1/admin/keys/rewrap'],
      ['POST', '/v1/admin/keys/rotate-data-key'],
    ] as const) {
      const res = await s.call(method, url, method === 'POST' ? {} : undefined, token)
      expect([url, res.status, res.json['code']]).toEqual([url, 403, 'FORBIDDEN'])
    }
    const keys = await s.call('GET', '/v1/admin/keys')
    expect((keys.json['keys'] as unknown[]).length).toBe(2)
  })
})
