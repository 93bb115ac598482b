// `tresor scan` end to end against a real server on a port: the project's secrets set through
// the API are found in files by key (never printed), with tokens, allow comments and
// .tresorignore, in text, JSON and SARIF; and without a server, the formats alone.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { generateToken } from '../../src/crypto/tokens.ts'
import { ok, startApp, type AppUnderTest } from '../http/helpers/app.ts'
import { githubToken } from './helpers/credentials.ts'
import { runScan } from './helpers/run-scan.ts'

const SECRETS = {
  DB_PASSWORD: 'prod-db-pass-1a2b3c4d5e',
  STRIPE_WEBHOOK: 'whsec_9a8b7c6d5e4f3g2h1i',
}

describe('tresor scan against a server', () => {
  let t: AppUnderTest
  let dir: string
  let env: Record<string, string>
  const token = generateToken('svc')
  const allowed = githubToken()
  const ignored = githubToken()
  const write = (path: string, text: string) => {
    mkdirSync(dirname(join(dir, path)), { recursive: true })
    writeFileSync(join(dir, path), text)
  }

  beforeAll(async () => {
    t = await startApp({ logLevel: 'silent' })
    const address = await t.app.listen({ port: 0, host: '127.0.0.1' })
    await ok(t, 'POST', '/v1/projects', { body: { slug: 'shop' }, status: 201 })
    for (const [key, value] of Object.entries(SECRETS))
      await ok(t, 'PUT', '/v1/projects/shop/environments/production/vars', {
        body: { key, value, kind: 'secret' },
      })
    dir = mkdtempSync(join(tmpdir(), 'tresor-scan-cli-'))
    env = { TRESOR_URL: address, TRESOR_TOKEN: t.ownerToken, TRESOR_PROJECT: 'shop' }
    write('.env.production', `# prod\nDB_PASSWORD=${SECRETS.DB_PASSWORD}\n`)
    write('config/app.yml', `db:\n  host: db\n  password: "${SECRETS.DB_PASSWORD}"\n`)
    write(
      'src/client.ts',
      `const t = "${token}"\nconst hook = process.env.X ?? '${SECRETS.STRIPE_WEBHOOK}'\n`,
    )
    write('docs/readme.md', `example: ${allowed} <!-- tresor:allow -->\n`)
    write('fixtures/fake.txt', ignored)
    write('.tresorignore', 'fixtures/\n')
  })
  afterAll(async () => {
    await t.close()
    rmSync(dir, { recursive: true, force: true })
  })

  const everyValue = () => [...Object.values(SECRETS), token, allowed, ignored]

  it('prints each leak as path:line:column, rule and key, exits 1, and never prints a value', async () => {
    const run = await runScan([], {}, { cwd: dir, env })
    expect(run.stdout).toBe(
      '.env.production:2:13  own-secret  value of secret DB_PASSWORD (environment production)\n' +
        'config/app.yml:3:14  own-secret  value of secret DB_PASSWORD (environment production)\n' +
        'src/client.ts:1:12  tresor-token  Tresor access token: tresor_svc_… (50 chars)\n' +
        'src/client.ts:2:32  own-secret  value of secret STRIPE_WEBHOOK (environment production)\n',
    )
    expect(run.stderr).toMatch(/^4 leaks found in 5 files \(0\.0 MB\)\n$/)
    expect(run.code).toBe(1)
    for (const v of everyValue()) expect(run.stdout + run.stderr).not.toContain(v)
  })

  it('--format json gives the findings, what was scanned and whether own secrets were checked', async () => {
    const run = await runScan(['src'], { format: 'json' }, { cwd: dir, env })
    expect(JSON.parse(run.stdout)).toEqual({
      findings: [
        {
          path: 'src/client.ts',
          line: 1,
          column: 12,
          rule: 'tresor-token',
          hint: 'tresor_svc_… (50 chars)',
        },
        {
          path: 'src/client.ts',
          line: 2,
          column: 32,
          rule: 'own-secret',
          key: 'STRIPE_WEBHOOK',
          environment: 'production',
        },
      ],
      scanned: { files: 1, bytes: expect.any(Number) as number, binary: 0, unreadable: [] },
      ownSecrets: { checked: true, project: 'shop', count: 2, skipped: [] },
    })
    expect(run.code).toBe(1)
  })

  it('--offline and an unconfigured project scan the formats only and say why', async () => {
    const offline = await runScan([], { offline: true }, { cwd: dir, env })
    expect(offline.stdout).toBe(
      'src/client.ts:1:12  tresor-token  Tresor access token: tresor_svc_… (50 chars)\n',
    )
    expect(offline.stderr).toContain(
      "warning: not checking the project's own secret values: --offline",
    )
    const bare = await runScan([], {}, { cwd: dir, env: {} })
    expect(bare.stdout).toBe(offline.stdout)
    expect(bare.stderr).toContain('own secret values: no project: pass -p PROJECT')
    expect(bare.code).toBe(1)
  })

  it('fails when a project named with -p cannot be read, instead of scanning without its secrets', async () => {
    const run = await runScan([], { project: 'nope' }, { cwd: dir, env })
    expect(run.stderr).toMatch(/^NOT_FOUND: project 'nope' not found \(request req_/)
    expect(run.code).toBe(1)
  })

  it('exits 0 with a summary when nothing leaks', async () => {
    write('clean/a.txt', 'nothing to see\n')
    const run = await runScan(['clean'], {}, { cwd: dir, env })
    expect(run).toEqual({ code: 0, stdout: '', stderr: 'no leaks found in 1 file (0.0 MB)\n' })
  })
})
