// `tresor login --sso` end to end: the built binary against the real server and the real
// oidc-provider. The test approves the device code at the provider's pages over plain HTTP as
// a person would; then the stored session works, is 0600 and holds no client secret, renews
// itself past its access lifetime, dies at refresh once the provider disables the user, and
// `tresor logout` ends it on the server.
import { spawn } from 'node:child_process'
import { readFileSync, statSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { bin, cleanEnv, cliFor, ensureBuilt, removeTempDirs, tempDir } from '../cli/helpers.ts'
import { FOLLOW_CHILD, linesOf, spawnTresor, waitFor } from '../cli/run-helpers.ts'
import { approveDevice } from './helpers/device.ts'
import { startSsoWorld, type SsoWorld } from './helpers/tresor.ts'

let w: SsoWorld
beforeAll(async () => {
  ensureBuilt()
  w = await startSsoWorld()
  await w.configureSso()
  w.provider.deviceInterval = 1
  w.provider.users.set('erin', { email: 'erin@example.com', name: 'Erin', groups: ['engineers'] })
  w.provider.users.set('fay', { email: 'fay@example.com', groups: ['auditors'] })
}, 120_000)
afterAll(async () => {
  await w?.close()
  removeTempDirs()
})

const LEAKED = 'sso-canary-f3b1c9d2e8a7'

// No TRESOR_URL / TRESOR_TOKEN: everything goes through the credentials file.
const bare = { TRESOR_URL: '', TRESOR_TOKEN: '' }

interface Stored {
  default: string
  servers: Record<
    string,
    {
      token: string
      savedAt: string
      sso: { refresh: string; accessExpiresAt: string; expiresAt: string }
    }
  >
}
const credsOf = (home: string) => join(home, '.config/tresor/credentials.json')
const stored = (home: string) => JSON.parse(readFileSync(credsOf(home), 'utf8')) as Stored

/** Runs `tresor login --sso`, approving (or declining) at the provider once the URL shows. */
function loginSso(home: string, login: string, opts: { decline?: boolean } = {}) {
  return new Promise<{ code: number | null; stdout: string; stderr: string; page: string }>(
    (resolve, reject) => {
      const child = spawn('node', [bin, 'login', '--sso', '--url', w.url], {
        env: { ...cleanEnv(home), ...bare },
        cwd: home,
      })
      let stdout = ''
      let stderr = ''
      let page: Promise<string> | undefined
      child.stdout.on('data', (d: Buffer) => (stdout += d.toString()))
      child.stderr.on('data', (d: Buffer) => {
        stderr += d.toString()
        const url = /^To sign in, open (\S+)\n/.exec(stderr)?.[1]
        if (url !== undefined && page === undefined) page = approveDevice(url, login, opts)
      })
      child.on('error', reject)
      child.on('close', (code) => {
        if (page === undefined) resolve({ code, stdout, stderr, page: '' })
        else void page.then((p) => resolve({ code, stdout, stderr, page: p }), reject)
      })
    },
  )
}

describe('tresor login --sso', () => {
  const home = tempDir('tresor-sso-home-')
  const cli = cliFor(undefined, home)

  it('shows the URL and code on stderr, then saves the session (0600, no client secret) and whoami works', async () => {
    const run = await loginSso(home, 'erin')
    expect(run.page).toContain('Sign-in Success')
    expect(run.code).toBe(0)
    expect(run.stdout).toBe('')
    const code = /the code ([A-Z]{4}-[A-Z]{4})\n/.exec(run.stderr)?.[1] ?? ''
    const file = credsOf(home)
    expect(run.stderr).toBe(
      `To sign in, open ${w.provider.issuer}/device?user_code=${code}\n` +
        `in a browser and check that it shows the code ${code}\n` +
        `(or open ${w.provider.issuer}/device and enter that code).\nWaiting for the sign-in…\n` +
        `Logged in to ${w.url} as developer (${/\((mem_\w+)\)/.exec(run.stderr)?.[1]}) with single sign-on; ` +
        `session saved in ${file} until ${stored(home).servers[w.url]?.sso.expiresAt}.\n`,
    )
    expect(statSync(file).mode & 0o777).toBe(0o600)
    const creds = stored(home)
    expect(creds.default).toBe(w.url)
    const entry = creds.servers[w.url]!
    expect(Object.keys(entry).sort()).toEqual(['savedAt', 'sso', 'token'])
    expect(entry.token).toMatch(/^tresor_ses_[A-Za-z0-9_-]{43}$/)
    expect(entry.sso.refresh).toMatch(/^tresor_rfs_[A-Za-z0-9_-]{43}$/)
    expect(Date.parse(entry.sso.expiresAt)).toBeGreaterThan(Date.parse(entry.sso.accessExpiresAt))
    const text = readFileSync(file, 'utf8')
    expect(text).not.toContain(w.provider.clientSecret)
    const me = await cli.tresor(['whoami', '--json'], { env: bare })
    expect(me.code).toBe(0)
    expect(JSON.parse(me.stdout)).toMatchObject({ url: w.url, role: 'developer' })
    const members = (await w.call('GET', '/v1/members')).body.members as Array<{ email: string }>
    expect(members.map((m) => m.email)).toContain('erin@example.com')
    const [login] = (await w.call('GET', '/v1/audit?action=auth.sso_login')).body.events as Array<{
      detail: Record<string, unknown>
    }>
    expect(login?.detail).toMatchObject({ sub: 'erin', client: 'cli', role: 'developer' })
  })

  it('renews the session transparently once its access lifetime has passed (one refresh)', async () => {
    const before = stored(home).servers[w.url]!
    w.clock.offsetMs += 16 * 60_000
    // The stored bearer alone is refused now: only the refresh makes the next command work.
    expect((await w.call('GET', '/v1/whoami', undefined, before.token)).status).toBe(401)
    const me = await cli.tresor(['whoami'], { env: bare })
    expect([me.code, me.stderr]).toEqual([0, ''])
    expect(me.stdout).toContain('(developer)')
    const after = stored(home).servers[w.url]!
    expect(after.token).not.toBe(before.token)
    expect(after.sso.refresh).not.toBe(before.sso.refresh)
    expect(after.sso.expiresAt).toBe(before.sso.expiresAt)
    expect(statSync(credsOf(home)).mode & 0o777).toBe(0o600)
    const again = await w.call(
      'POST',
      '/v1/session/refresh',
      { refresh: before.sso.refresh },
      'none',
    )
    expect(again.status).toBe(401)
    expect((await w.call('GET', '/v1/whoami', undefined, after.token)).status).toBe(200)
  })

  it('tresor run --follow and tresor scan renew an expired session too', async () => {
    const E = '/v1/projects/sso-app/environments/staging'
    expect((await w.call('POST', '/v1/projects', { slug: 'sso-app' })).status).toBe(201)
    await w.call('PUT', `${E}/vars`, { key: 'COLOR', value: 'red', kind: 'config' })
    await w.call('PUT', `${E}/vars`, { key: 'API_KEY', value: LEAKED, kind: 'secret' })
    expect((await w.call('POST', `${E}/releases`)).status).toBe(201)
    // run --follow: its first load and its event stream both start with a refused bearer.
    w.clock.offsetMs += 16 * 60_000
    const before = stored(home).servers[w.url]!.token
    const starts = join(tempDir('tresor-sso-run-'), 'starts')
    const follow = spawnTresor(
      [
        'run',
        '-p',
        'sso-app',
        '-e',
        'staging',
        '--follow',
        '--',
        'node',
        '-e',
        FOLLOW_CHILD,
        starts,
      ],
      { ...cleanEnv(home), ...bare },
      home,
    )
    try {
      expect(await waitFor('the first child', () => linesOf(starts)[0])).toMatch(/^\d+ red$/)
      expect(stored(home).servers[w.url]!.token).not.toBe(before)
      await w.call('PUT', `${E}/vars`, { key: 'COLOR', value: 'blue', kind: 'config' })
      await w.call('POST', `${E}/releases`)
      await waitFor('the restart', () => linesOf(starts).find((l) => l.endsWith(' blue')))
      expect(follow.out().stderr).not.toContain('no longer following')
    } finally {
      follow.child.kill('SIGTERM')
      await follow.done
    }
    // scan: the project's fingerprints are fetched with the renewed session.
    w.clock.offsetMs += 16 * 60_000
    const tree = tempDir('tresor-sso-scan-')
    writeFileSync(join(tree, 'config.js'), `const key = '${LEAKED}'\n`)
    const scan = await cli.tresor(['scan', '-p', 'sso-app', tree], { env: bare })
    expect(scan.code).toBe(1)
    expect(scan.stdout).toContain('API_KEY')
    expect(scan.stdout + scan.stderr).not.toContain(LEAKED)
    expect(scan.stderr).not.toContain('UNAUTHENTICATED')
  })

  it('tresor logout ends the session on the server, then forgets it', async () => {
    const entry = stored(home).servers[w.url]!
    const out = await cli.tresor(['logout'], { env: bare })
    expect(out).toEqual({
      code: 0,
      stdout: '',
      stderr: `Logged out of ${w.url}: the session was ended on the server.\n`,
    })
    expect(stored(home).servers).toEqual({})
    const direct = await w.call('GET', '/v1/whoami', undefined, entry.token)
    expect([direct.status, direct.body.code]).toEqual([401, 'UNAUTHENTICATED'])
    const refresh = await w.call(
      'POST',
      '/v1/session/refresh',
      { refresh: entry.sso.refresh },
      'none',
    )
    expect(refresh.status).toBe(401)
    const ends = (await w.call('GET', '/v1/audit?action=session.end')).body.events as Array<{
      detail: Record<string, unknown>
    }>
    expect(ends[0]?.detail).toMatchObject({ reason: 'sign-out', client: 'cli' })
    // Canary: no session or refresh secret, nor the client secret, in the server's logs.
    const logs = w.logs.join('\n')
    for (const secret of [entry.token, entry.sso.refresh, w.provider.clientSecret])
      expect(logs).not.toContain(secret)
    expect(logs).not.toMatch(/tresor_(ses|rfs)_[A-Za-z0-9_-]{43}/)
  })
})

describe('offboarding and refusals', () => {
  it('a user disabled at the provider is cut off at the next refresh: one line, exit 1', async () => {
    const home = tempDir('tresor-sso-home-')
    const cli = cliFor(undefined, home)
    expect((await loginSso(home, 'fay')).code).toBe(0)
    expect((await cli.tresor(['whoami'], { env: bare })).code).toBe(0)
    w.provider.users.set('fay', { email: 'fay@example.com', groups: ['auditors'], disabled: true })
    w.clock.offsetMs += 16 * 60_000
    const run = await cli.tresor(['whoami'], { env: bare })
    expect(run.code).toBe(1)
    expect(run.stdout).toBe('')
    expect(run.stderr).toMatch(
      new RegExp(
        `^UNAUTHENTICATED: your single sign-on session on ${w.url} has ended \\(signed out, expired, or refused by the identity provider\\): run tresor login --sso \\(request req_[0-9a-z]{16}\\)\\n$`,
      ),
    )
    expect(stored(home).servers).toEqual({})
    const ends = (await w.call('GET', '/v1/audit?action=session.end')).body.events as Array<{
      detail: Record<string, unknown>
    }>
    expect(String(ends[0]?.detail.reason)).toMatch(/^idp refresh failed: /)
    const after = await cli.tresor(['whoami'], { env: bare })
    expect(after.stderr).toBe(
      `UNAUTHENTICATED: not logged in to ${w.url}: run tresor login --url ${w.url}, or set TRESOR_TOKEN\n`,
    )
  })

  it('a sign-in declined at the provider fails with exit 1 and saves nothing', async () => {
    const home = tempDir('tresor-sso-home-')
    const run = await loginSso(home, 'erin', { decline: true })
    expect(run.code).toBe(1)
    expect(run.stderr).toMatch(
      /\nFORBIDDEN: the sign-in was declined at the identity provider \(request req_\w+\)\n$/,
    )
    expect(() => statSync(credsOf(home))).toThrow()
  })
})
