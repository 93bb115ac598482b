import { execFileSync, spawn, type ChildProcess } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import BetterSqlite3 from 'better-sqlite3'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { LATEST_VERSION } from '../../src/storage/kysely/migrations/index.ts'

const root = new URL('../../', import.meta.url).pathname
const bin = join(root, 'bin/tresor.js')
let dataDir: string

// `npm test` builds first; a direct `vitest run` of this file rebuilds only when a source is
// newer than the bundle (so that parallel test files rarely race on writing dist/).
function newestSource(dir: string): number {
  return readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((e) => e.isFile() && e.name.endsWith('.ts'))
    .map((e) => statSync(join(e.parentPath, e.name)).mtimeMs)
    .reduce((a, b) => Math.max(a, b), 0)
}

beforeAll(() => {
  const bundle = join(root, 'dist/cli.js')
  const built = existsSync(bundle) ? statSync(bundle).mtimeMs : 0
  if (newestSource(join(root, 'src')) > built) {
    execFileSync('node', [join(root, 'scripts/build.mjs')], { cwd: root })
  }
  dataDir = mkdtempSync(join(tmpdir(), 'tresor-server-'))
})
afterAll(() => rmSync(dataDir, { recursive: true, force: true }))

interface Exit {
  code: number | null
  stdout: string
  stderr: string
}

function run(
  args: string[],
  env: Record<string, string> = {},
): { child: ChildProcess; exit: Promise<Exit> } {
  const clean = Object.fromEntries(
    Object.entries(process.env).filter(([k]) => !k.startsWith('TRESOR_')),
  )
  const child = spawn('node', [bin, ...args], { env: { ...clean, ...env }, stdio: 'pipe' })
  let stdout = ''
  let stderr = ''
  child.stdout?.on('data', (d: Buffer) => (stdout += d.toString()))
  child.stderr?.on('data', (d: Buffer) => (stderr += d.toString()))
  const exit = new Promise<Exit>((resolve) =>
    child.on('close', (code) => resolve({ code, stdout, stderr })),
  )
  return { child, exit }
}

function firstLine(child: ChildProcess): Promise<string> {
  return new Promise((resolve, reject) => {
    let buffered = ''
    child.stdout?.on('data', (d: Buffer) => {
      buffered += d.toString()
      const end = buffered.indexOf('\n')
      if (end !== -1) resolve(buffered.slice(0, end))
    })
    child.on('close', () => reject(new Error('exited before listening')))
  })
}

describe('tresor server (the real process)', () => {
  it('prints one listening line, serves /healthz, puts the first owner token in a 0600 file (never on screen), drains on SIGTERM', async () => {
    const { child, exit } = run(['server', '--port', '0', '--data-dir', dataDir])
    const line = await firstLine(child)
    expect(line).toMatch(/^Tresor listening on http:\/\/127\.0\.0\.1:\d+$/)
    const url = line.slice('Tresor listening on '.length)
    expect(url).not.toMatch(/:0$/)
    const health = await fetch(`${url}/healthz`)
    expect(health.status).toBe(200)
    expect(await health.json()).toEqual({ ok: true })
    expect(health.headers.get('x-request-id')).toMatch(/^req_/)
    const openapi = await fetch(`${url}/v1/openapi.json`)
    expect(((await openapi.json()) as { openapi: string }).openapi).toMatch(/^3\.1\./)
    // First start without TRESOR_BOOTSTRAP_TOKEN: the owner token goes to a 0600 file, whose
    // path (never the token) is printed; the token works as the owner's.
    const tokenFile = join(dataDir, 'owner-token')
    expect(statSync(tokenFile).mode & 0o777).toBe(0o600)
    const ownerToken = readFileSync(tokenFile, 'utf8').trim()
    expect(ownerToken).toMatch(/^tresor_pat_/)
    const who = await fetch(`${url}/v1/whoami`, {
      headers: { authorization: `Bearer ${ownerToken}` },
    })
    expect(((await who.json()) as { role: string }).role).toBe('owner')
    child.kill('SIGTERM')
    const result = await exit
    expect(result.code).toBe(0)
    expect(result.stdout).toBe(`${line}\n`)
    expect(result.stderr).toContain('"msg":"shutting down"')
    expect(result.stderr).toContain(`First start: the owner token is in ${tokenFile} (mode 0600)`)
    for (const out of [result.stdout, result.stderr]) {
      expect(out).not.toContain(ownerToken)
      expect(out).not.toContain(ownerToken.slice(-20))
    }
    // A second start keeps the token file and says nothing of it.
    const again = run(['server', '--port', '0', '--data-dir', dataDir])
    await firstLine(again.child)
    again.child.kill('SIGTERM')
    const second = await again.exit
    expect(second.code).toBe(0)
    expect(second.stderr).not.toContain('First start')
    expect(readFileSync(tokenFile, 'utf8').trim()).toBe(ownerToken)
  })

  it('exits 1 listing every bad setting on stderr, one per line', async () => {
    const { exit } = run(['server', '--data-dir', dataDir], {
      TRESOR_PORT: 'abc',
      TRESOR_ROOT_KEY: 'short',
    })
    const result = await exit
    expect(result.code).toBe(1)
    expect(result.stdout).toBe('')
    expect(result.stderr.trimEnd().split('\n')).toEqual([
      'TRESOR_PORT: must be a whole number from 0 to 65535, 0 meaning any free port (got "abc")',
      'TRESOR_ROOT_KEY: must be base64 of exactly 32 random bytes; it decodes to 3 bytes',
    ])
  })

  it('refuses to start, naming the error code, on a newer schema or a root key file others can read', async () => {
    const newer = join(dataDir, 'newer')
    const first = run(['server', '--port', '0', '--data-dir', newer])
    await firstLine(first.child)
    first.child.kill('SIGTERM')
    expect((await first.exit).code).toBe(0)
    const db = new BetterSqlite3(join(newer, 'tresor.db'))
    db.prepare('insert into schema_version (version, name, applied_at) values (?, ?, ?)').run(
      LATEST_VERSION + 1,
      'from-the-future',
      new Date().toISOString(),
    )
    db.close()
    const refused = await run(['server', '--port', '0', '--data-dir', newer]).exit
    expect([refused.code, refused.stdout, refused.stderr]).toEqual([
      1,
      '',
      `SCHEMA_TOO_NEW: database schema version ${LATEST_VERSION + 1} is newer than this Tresor (${LATEST_VERSION}); upgrade Tresor\n`,
    ])

    const open = join(dataDir, 'open-key')
    mkdirSync(open)
    writeFileSync(join(open, 'root.key'), randomBytes(32), { mode: 0o644 })
    const exposed = await run(['server', '--port', '0', '--data-dir', open]).exit
    expect([exposed.code, exposed.stdout, exposed.stderr]).toEqual([
      1,
      '',
      `CONFIG_INVALID: root key file ${join(open, 'root.key')} has mode 0644; group and others must have no access (chmod 600)\n`,
    ])
  })

  it('exits 2 on an unknown flag and 1 when the port is taken', async () => {
    const unknown = await run(['server', '--prot', '1']).exit
    expect(unknown.code).toBe(2)
    expect(unknown.stderr).toContain("Unknown option '--prot'")
    const first = run(['server', '--port', '0', '--data-dir', dataDir])
    const port = (await firstLine(first.child)).split(':').pop() ?? ''
    const second = await run(['server', '--port', port, '--data-dir', dataDir]).exit
    first.child.kill('SIGTERM')
    expect(second.code).toBe(1)
    expect(second.stderr).toContain(
      `cannot listen on 127.0.0.1:${port}: the address is already in use`,
    )
    expect((await first.exit).code).toBe(0)
  })
})
