import { execFileSync, spawnSync } from 'node:child_process'
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { rootKeyFromBytes } from '../../src/crypto/index.ts'
import { runRotateRootCommand } from '../../src/main/keys-command.ts'
import { canary } from './helpers/world.ts'
import { startServer, type TestServer } from './helpers/server.ts'

const root = new URL('../../', import.meta.url).pathname
const VARS = '/v1/projects/app/environments/production/vars'

function capture() {
  const out = { stdout: '', stderr: '' }
  return {
    out,
    io: { stdout: (t: string) => (out.stdout += t), stderr: (t: string) => (out.stderr += t) },
  }
}

const keyId = (path: string) => rootKeyFromBytes(readFileSync(path)).id

describe('tresor keys:rotate-root (key-file mode)', { timeout: 60_000 }, () => {
  let dir: string
  let server: TestServer
  const secret = canary()
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'tresor-rotate-cli-'))
    server = await startServer(dir)
    await server.call('POST', '/v1/projects', { slug: 'app' })
    await server.call('PUT', VARS, { key: 'API_URL', value: 'https://api.example', kind: 'config' })
    await server.call('PUT', VARS, { key: 'TOKEN', value: secret, kind: 'secret' })
  })
  afterAll(async () => {
    await server.close()
    rmSync(dir, { recursive: true, force: true })
  })

  it('moves root.key to root.key.previous, writes a new one, re-wraps; the server keeps serving', async () => {
    const oldId = keyId(join(dir, 'root.key'))
    let stop = false
    const statuses: number[] = []
    const reader = (async () => {
      while (!stop) {
        const res = await server.call('GET', VARS)
        statuses.push(res.status)
        await new Promise((r) => setImmediate(r))
      }
    })()
    const { out, io } = capture()
    const code = await runRotateRootCommand(['--data-dir', dir], {}, io)
    stop = true
    await reader
    expect([code, out.stderr]).toEqual([0, ''])
    const newId = keyId(join(dir, 'root.key'))
    expect(newId).not.toBe(oldId)
    expect(keyId(join(dir, 'root.key.previous'))).toBe(oldId)
    for (const f of ['root.key', 'root.key.previous']) {
      expect(statSync(join(dir, f)).mode & 0o777).toBe(0o600)
    }
    expect(out.stdout).toContain(`under root key ${newId}`)
    expect(out.stdout).toContain('1 data keys and 1 server secrets re-wrapped')
    expect(statuses.length).toBeGreaterThan(0)
    expect(new Set(statuses)).toEqual(new Set([200]))
    // The running server still has its data key in memory: it keeps reading and writing.
    expect(
      (await server.call('PUT', VARS, { key: 'AFTER', value: '1', kind: 'config' })).status,
    ).toBe(200)
    expect((await server.call('POST', `${VARS}/TOKEN/reveal`)).json['value']).toBe(secret)
    // But it must not wrap a new data key with the old root key, which the next rotation removes
    // from disk: it refuses, changing nothing, until restarted.
    const keysBefore = (await server.call('GET', '/v1/admin/keys')).json
    const rotate = await server.call('POST', '/v1/admin/keys/rotate-data-key', {})
    expect([rotate.status, rotate.json['code']]).toEqual([503, 'UNAVAILABLE'])
    expect(String(rotate.json['detail'])).toContain('restart the server before it wraps new keys')
    expect((await server.call('GET', '/v1/admin/keys')).json).toEqual(keysBefore)
  })

  it('values written before the rotation read back with only the new key', async () => {
    await server.close()
    // TRESOR_ROOT_KEY mode: the key files are not read, so nothing but the new key is given.
    const rootKey = readFileSync(join(dir, 'root.key'))
    server = await startServer(dir, { rootKey }, server.ownerToken)
    expect(await reveal(server)).toBe(secret)
    const list = await server.call('GET', VARS)
    expect(JSON.stringify(list.json)).toContain('https://api.example')
  })

  it('runs from the built binary, and a second rotation keeps the first new key as previous', async () => {
    await server.close()
    const bundle = join(root, 'dist/cli.js')
    if (
      !existsSync(bundle) ||
      statSync(bundle).mtimeMs < statSync(join(root, 'src/main/keys-command.ts')).mtimeMs
    ) {
      execFileSync('node', [join(root, 'scripts/build.mjs')], { cwd: root })
    }
    const firstNew = keyId(join(dir, 'root.key'))
    const env = Object.fromEntries(
      Object.entries(process.env).filter(([k]) => !k.startsWith('TRESOR_')),
    )
    const run = spawnSync(
      'node',
      [join(root, 'bin/tresor.js'), 'keys:rotate-root', '--data-dir', dir],
      {
        env,
        encoding: 'utf8',
      },
    )
    expect([run.status, run.stderr]).toEqual([0, ''])
    expect(keyId(join(dir, 'root.key.previous'))).toBe(firstNew)
    server = await startServer(dir, { rootKey: undefined }, server.ownerToken)
    expect(await reveal(server)).toBe(secret)
  })
})

async function reveal(s: TestServer): Promise<unknown> {
  return (await s.call('POST', `${VARS}/TOKEN/reveal`)).json['value']
}
