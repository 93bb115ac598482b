import { randomBytes } from 'node:crypto'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { parseServerConfig, SERVER_SETTINGS_JSON_SCHEMA } from '../../src/config/server-config.ts'
import { startServer, type TestServer } from './helpers/server.ts'
import { canary } from './helpers/world.ts'

const VARS = '/v1/projects/app/environments/production/vars'

describe('TRESOR_ROOT_KEY_PREVIOUS', () => {
  it('parses comma-separated keys (standard or URL-safe base64), in order', () => {
    const [a, b] = [randomBytes(32), randomBytes(32)]
    const parsed = parseServerConfig(
      { TRESOR_ROOT_KEY_PREVIOUS: ` ${a.toString('base64')}, ${b.toString('base64url')} ` },
      {},
    )
    expect(parsed.ok && parsed.config.rootKeyPrevious?.map((k) => k.toString('hex'))).toEqual([
      a.toString('hex'),
      b.toString('hex'),
    ])
    expect(parseServerConfig({}, {})).toMatchObject({
      ok: true,
      config: { rootKeyPrevious: undefined },
    })
  })

  it('names the bad key by position and never echoes any of them', () => {
    const good = randomBytes(32).toString('base64')
    const short = randomBytes(31).toString('base64')
    const parsed = parseServerConfig({ TRESOR_ROOT_KEY_PREVIOUS: `${good},${short}` }, {})
    expect(parsed).toEqual({
      ok: false,
      problems: [
        {
          setting: 'TRESOR_ROOT_KEY_PREVIOUS',
          message: 'key 2 of 2 must be base64 of exactly 32 random bytes; it decodes to 31 bytes',
        },
      ],
    })
    const shown = JSON.stringify(parsed)
    for (const text of [good, short]) {
      for (let i = 0; i + 6 <= text.length; i++) expect(shown).not.toContain(text.slice(i, i + 6))
    }
  })

  it('is a secret setting in the JSON Schema', () => {
    const props = SERVER_SETTINGS_JSON_SCHEMA['properties'] as Record<
      string,
      Record<string, unknown>
    >
    expect(props['TRESOR_ROOT_KEY_PREVIOUS']).toMatchObject({ writeOnly: true, 'x-secret': true })
  })
})

describe('root-key rotation with TRESOR_ROOT_KEY (environment mode)', { timeout: 20_000 }, () => {
  const dirs: string[] = []
  let server: TestServer | undefined
  afterEach(async () => {
    await server?.close()
    for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true })
  })

  it('old key as previous keeps serving; rewrap; then the new key alone suffices', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'tresor-prev-'))
    dirs.push(dir)
    const [k1, k2] = [randomBytes(32), randomBytes(32)]
    const secret = canary()
    server = await startServer(dir, { rootKey: k1 })
    const token = server.ownerToken
    await server.call('POST', '/v1/projects', { slug: 'app' })
    await server.call('PUT', VARS, { key: 'TOKEN', value: secret, kind: 'secret' })
    await server.close()

    server = await startServer(dir, { rootKey: k2, rootKeyPrevious: [k1] }, token)
    expect((await server.call('POST', `${VARS}/TOKEN/reveal`)).json['value']).toBe(secret)
    const moved = await server.call('POST', '/v1/admin/keys/rewrap')
    expect(moved.json).toMatchObject({ dataKeys: 1, serverSecrets: 1, unreadable: [] })
    await server.close()

    server = await startServer(dir, { rootKey: k2 }, token)
    expect((await server.call('POST', `${VARS}/TOKEN/reveal`)).json['value']).toBe(secret)
    await server.close()
    // Without the rotation the old key alone is now refused: nothing is wrapped by it any more.
    server = await startServer(dir, { rootKey: k1 }, token).catch((e: unknown) => {
      expect(String(e)).toContain('not configured')
      return undefined
    })
    expect(server).toBeUndefined()
  })
})
