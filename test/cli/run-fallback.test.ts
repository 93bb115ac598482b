import { randomBytes } from 'node:crypto'
import { chmodSync, readFileSync, statSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import {
  cliFor,
  ensureBuilt,
  removeTempDirs,
  startServer,
  tempDir,
  type TestServer,
} from './helpers.ts'
import { api } from './run-helpers.ts'

const CANARY = 'canary-fallback-Secret-01234567'
const KEY = randomBytes(32).toString('base64')

let server: TestServer
let cli: ReturnType<typeof cliFor>
let cache: string
const E = '/v1/projects/app/environments/production'
const print = ['sh', '-c', 'printf "%s %s" "$MODE" "$API_KEY"']
const run = (extra: string[] = [], env: Record<string, string> = { TRESOR_FALLBACK_KEY: KEY }) =>
  cli.tresor(
    ['run', '-p', 'app', '-e', 'production', '--fallback', cache, ...extra, '--', ...print],
    {
      env,
    },
  )

beforeAll(async () => {
  ensureBuilt()
  server = await startServer()
  cli = cliFor(server, tempDir())
  cache = join(tempDir(), 'app.cache')
  await api(server.url, 'POST', '/v1/projects', { slug: 'app' })
  await api(server.url, 'PATCH', `${E}/vars`, {
    env: { MODE: 'live', API_KEY: CANARY },
    secrets: ['API_KEY'],
  })
  await api(server.url, 'POST', `${E}/releases`)
})
afterAll(async () => {
  await server.stop()
  removeTempDirs()
})

describe('tresor run --fallback', () => {
  it('needs TRESOR_FALLBACK_KEY, 32 bytes of base64', async () => {
    const none = await run([], {})
    expect([none.code, none.stderr.split('\n')[0]]).toEqual([
      2,
      'error: --fallback needs TRESOR_FALLBACK_KEY: the base64 of 32 random bytes',
    ])
    const short = await run([], { TRESOR_FALLBACK_KEY: randomBytes(16).toString('base64') })
    expect(short.stderr.split('\n')[0]).toBe(
      'error: TRESOR_FALLBACK_KEY must be the base64 of exactly 32 bytes',
    )
  })

  it('writes an encrypted 0600 cache on success', async () => {
    const out = await run()
    expect([out.code, out.stdout, out.stderr]).toEqual([0, `live ${CANARY}`, ''])
    expect(statSync(cache).mode & 0o777).toBe(0o600)
    const text = readFileSync(cache, 'utf8')
    expect(text.startsWith('tresor run cache 1\n')).toBe(true)
    for (const plain of [CANARY, 'live', 'API_KEY']) expect(text).not.toContain(plain)
  })

  it('runs from the cache when the server is down, saying so', async () => {
    await server.stop()
    const out = await run()
    expect([out.code, out.stdout]).toEqual([0, `live ${CANARY}`])
    expect(out.stderr).toMatch(
      /^warning: cannot reach the Tresor server at http:\/\/127\.0\.0\.1:\d+ \(connection refused; is the server running\?\); running release 1 of app\/production from the fallback cache .*app\.cache \(saved \d{4}-\d\d-\d\dT[\d:.]+Z\)\n$/,
    )
  })

  it('masks every value under --mask when the cache was written without it', async () => {
    const out = await run(['--mask'])
    expect([out.code, out.stdout]).toEqual([0, 'live ***'])
    expect(out.stderr.split('\n')[1]).toBe(
      'warning: --mask hides every value of 6+ characters: the fallback cache was written without --mask, so it does not say which are secret',
    )
  })

  it('refuses a cache for another environment, with another key, or readable by others', async () => {
    const other = await cli.tresor(
      ['run', '-p', 'app', '-e', 'staging', '--fallback', cache, '--', 'true'],
      { env: { TRESOR_FALLBACK_KEY: KEY } },
    )
    expect(other.code).toBe(1)
    expect(other.stderr).toContain(
      'cannot be used (it does not decrypt with TRESOR_FALLBACK_KEY for this project and environment)',
    )
    const wrongKey = await run([], { TRESOR_FALLBACK_KEY: randomBytes(32).toString('base64') })
    expect([wrongKey.code, wrongKey.stdout]).toEqual([1, ''])
    chmodSync(cache, 0o640)
    const open = await run()
    expect([open.code, open.stdout]).toEqual([1, ''])
    expect(open.stderr).toMatch(
      /^UNAVAILABLE: cannot reach .*, and the fallback cache .* cannot be used \(other users have access to it; run chmod 600 .*\)\n$/,
    )
    expect(open.stderr).not.toContain(CANARY)
  })
})
