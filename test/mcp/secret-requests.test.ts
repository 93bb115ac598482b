// The secret path of `tresor mcp`: the agent asks, a person types the value through the link's
// page, the agent sees only status. Every credential shape is refused by name, and canary
// secrets appear in no tool result, no tool error and no byte of the MCP process's stderr.
import { spawnSync } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import {
  bin,
  buildIfStale,
  canaryForms,
  cleanEnv,
  newCanary,
  startMcp,
  startServer,
  type McpSession,
  type RealServer,
} from './helpers.ts'

let server: RealServer
let mcp: McpSession
let slug: string
const canaries: string[] = []

const rnd = (n: number) => randomBytes(n).toString('hex')
const b62 = (n: number) =>
  Array.from(
    randomBytes(n),
    (b) => 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789'[b % 62],
  ).join('')

// One sample of each credential shape the agent must not pass, with the reason it must give.
const CREDENTIALS: [string, string, RegExp][] = [
  ['sk_live_', `sk_live_${b62(24)}`, /Stripe secret key/],
  ['sk_test_', `sk_test_${b62(24)}`, /Stripe secret key/],
  ['ghp_', `ghp_${b62(36)}`, /GitHub token/],
  ['gho_', `gho_${b62(36)}`, /GitHub token/],
  ['github_pat_', `github_pat_${b62(22)}_${b62(59)}`, /GitHub fine-grained token/],
  ['xoxb-', `xoxb-${rnd(6)}-${rnd(6)}-${b62(24)}`, /Slack token/],
  ['xoxp-', `xoxp-${rnd(6)}-${rnd(6)}-${b62(24)}`, /Slack token/],
  ['AKIA', `AKIA${b62(16).toUpperCase()}`, /AWS access key id/],
  ['ASIA', `ASIA${b62(16).toUpperCase()}`, /AWS access key id/],
  [
    'PEM',
    `-----BEGIN RSA PRIVATE KEY-----\nMIIE${b62(60)}\n-----END RSA PRIVATE KEY-----`,
    /PEM private key/,
  ],
  ['tresor_pat_', `tresor_pat_${b62(39)}`, /Tresor token/],
  ['tresor_svc_', `tresor_svc_${b62(39)}`, /Tresor token/],
  ['JWT', `eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.${b62(43)}`, /JSON Web Token/],
  ['URL password', `postgres://app:${b62(12)}@db.internal:5432/app`, /URL with a password/],
  ['base64 entropy', 'u8Kx2Qf+9LmZ0pWc7RtY3vNb6HsJd1Ea5GoTi4Xq/Ak=', /high entropy/],
  [
    'hex entropy',
    'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855',
    /high entropy/,
  ],
]

beforeAll(async () => {
  buildIfStale()
  server = await startServer()
  slug = `sr-${rnd(3)}`
  expect((await server.api('POST', '/v1/projects', { slug })).status).toBe(201)
  const tok = await server.api<{ token: string }>('POST', '/v1/tokens', {
    name: 'agent',
    project: slug,
    scopes: ['read', 'write', 'deploy'],
  })
  // A canary secret set by the owner, so that every tool runs against a document holding one.
  const canary = newCanary(1)
  canaries.push(canary)
  await server.api('PUT', `/v1/projects/${slug}/environments/production/vars`, {
    key: 'OWNER_SECRET',
    value: canary,
    kind: 'secret',
  })
  mcp = await startMcp(
    { TRESOR_URL: server.url, TRESOR_TOKEN: tok.body.token, HOME: server.dataDir },
    ['-p', slug, '-e', 'production'],
  )
}, 60_000)

afterAll(async () => {
  await mcp?.close()
  await server?.stop()
})

describe('tresor mcp: secrets never pass through the agent', () => {
  it.each(CREDENTIALS)(
    'refuses a %s value by key, without echoing it, and changes nothing',
    async (_n, value, why) => {
      const key = `CFG_${rnd(3).toUpperCase()}`
      const { result, text } = await mcp.call('set_env_vars', { env: { SAFE: '1', [key]: value } })
      expect(result.isError).toBe(true)
      expect(text).toContain(
        `VALIDATION_FAILED: set_env_vars refused for ${key}; nothing was changed`,
      )
      expect(text).toMatch(why)
      expect(text).toContain(`call request_secret with key ${key}`)
      // The whole value and its random tail (its prefix is named by the rule, on purpose).
      for (const form of [value, value.slice(-12)]) expect(text).not.toContain(form)
      const list = await mcp.json<{ vars: { key: string }[] }>('list_env_vars')
      expect(list.vars.map((v) => v.key)).not.toContain('SAFE')
    },
  )

  it('request_secret → a person fulfils the link → status fulfilled → stored as a secret; the link dies', async () => {
    const req = await mcp.json<{ id: string; url: string; status: string; key: string }>(
      'request_secret',
      {
        key: 'STRIPE_SECRET_KEY',
        description: 'Stripe live secret key (Dashboard → Developers → API keys)',
      },
    )
    expect(req).toMatchObject({
      key: 'STRIPE_SECRET_KEY',
      status: 'pending',
      environment: 'production',
    })
    expect(req.url).toMatch(new RegExp(`^${server.url}/s#[A-Za-z0-9_-]{43}$`))
    expect(await mcp.json('secret_request_status', { id: req.id })).toMatchObject({
      status: 'pending',
    })

    // The person: open the link (the fragment stays in the browser), read what is asked, submit.
    const page = await fetch(req.url)
    expect(page.status).toBe(200)
    expect(page.headers.get('content-type')).toBe('text/html; charset=utf-8')
    expect(page.headers.get('content-security-policy')).toContain("default-src 'none'")
    expect(page.headers.get('cache-control')).toBe('no-store')
    expect(await page.text()).toContain('type="password"')
    const token = new URL(req.url).hash.slice(1)
    const post = (body: object) =>
      fetch(`${server.url}/v1/secret-requests/${'value' in body ? 'fulfill' : 'inspect'}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(body),
      })
    const info = await post({ token })
    expect(await info.json()).toMatchObject({
      key: 'STRIPE_SECRET_KEY',
      project: slug,
      environment: 'production',
    })
    const canary = newCanary(2)
    canaries.push(canary)
    const done = await post({ token, value: canary })
    expect(done.status).toBe(200)
    expect(await done.json()).toEqual({
      key: 'STRIPE_SECRET_KEY',
      project: slug,
      environment: 'production',
      status: 'fulfilled',
      redeployRequired: true,
    })

    expect(await mcp.json('secret_request_status', { id: req.id })).toMatchObject({
      status: 'fulfilled',
      next: 'call deploy so that the running app gets it',
    })
    const revealed = await server.api<{ value: string }>(
      'POST',
      `/v1/projects/${slug}/environments/production/vars/STRIPE_SECRET_KEY/reveal`,
    )
    expect(revealed.body.value).toBe(canary)
    const list = await mcp.json<{ vars: Record<string, unknown>[] }>('list_env_vars', {
      includeValues: true,
    })
    expect(list.vars.find((v) => v.key === 'STRIPE_SECRET_KEY')).toEqual({
      key: 'STRIPE_SECRET_KEY',
      kind: 'secret',
    })

    const again = await post({ token, value: 'replaced-by-someone-else' })
    expect(again.status).toBe(410)
    expect(((await again.json()) as { code: string }).code).toBe('GONE')
    const still = await server.api<{ value: string }>(
      'POST',
      `/v1/projects/${slug}/environments/production/vars/STRIPE_SECRET_KEY/reveal`,
    )
    expect(still.body.value).toBe(canary)
    // Now that the key is a secret, the agent cannot overwrite it either.
    const { text } = await mcp.call('set_env_vars', { env: { STRIPE_SECRET_KEY: 'x' } })
    expect(text).toContain('STRIPE_SECRET_KEY is a secret')
  })

  it('an expired request reports expired and its link is refused', async () => {
    const req = await mcp.json<{ id: string; url: string }>('request_secret', {
      key: 'LATE_TOKEN',
      ttl: '1s',
    })
    await new Promise((r) => setTimeout(r, 1200))
    expect(await mcp.json('secret_request_status', { id: req.id })).toMatchObject({
      status: 'expired',
      next: 'call request_secret again for a new link',
    })
    const res = await fetch(`${server.url}/v1/secret-requests/fulfill`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ token: new URL(req.url).hash.slice(1), value: 'late' }),
    })
    expect(res.status).toBe(410)
  })

  it('every tool and every error path, with the canaries stored, leaks none of them', async () => {
    await mcp.json('set_env_vars', { env: { APP_NAME: 'shop' } })
    await mcp.json('env_status')
    await mcp.call('deploy')
    await mcp.json('delete_env_vars', { keys: ['APP_NAME', 'OWNER_SECRET_NOPE'] })
    await mcp.call('create_preview', {
      slug: 'pr-1',
      parent: 'production',
      overrides: { APP_NAME: 'p' },
    })
    await mcp.json('list_env_vars', { environment: 'pr-1', includeValues: true })
    await mcp.call('request_secret', { key: 'PORT' })
    await mcp.call('secret_request_status', { id: 'sreq_0000000000000000' })
    await mcp.call('set_env_vars', { env: { OWNER_SECRET: 'x' }, replace: true })
    await mcp.call('list_env_vars', { project: 'no-such-project' })
    // Schema violations are answered by the SDK itself: still no value in them.
    await mcp.call('set_env_vars', { env: { BAD: 42 } })
    await mcp.call('delete_env_vars', { keys: [] })
    // A secret pasted into the wrong argument is refused without being echoed or sent anywhere.
    const pasted = canaries[0] ?? ''
    await mcp.call('set_env_vars', { env: { BAD: { nested: pasted } } })
    await mcp.call('set_env_vars', { env: pasted })
    await mcp.call('set_env_vars', { env: { [pasted]: 'x' } })
    await mcp.call('delete_env_vars', { keys: pasted })
    await mcp.call('request_secret', { key: pasted })
    await mcp.call('secret_request_status', { id: pasted })
    await mcp.call('list_env_vars', { environment: pasted })
    await mcp.call('create_preview', { slug: pasted, parent: 'production' })
    const everything = `${mcp.transcript.join('\n')}\n${mcp.stderr()}`
    expect(mcp.transcript.length).toBeGreaterThan(30)
    expect(everything).toContain('OWNER_SECRET')
    for (const canary of canaries)
      for (const form of canaryForms(canary)) expect(everything).not.toContain(form)
    expect(mcp.stderr()).toBe('')
  })
})

describe('tresor mcp settings', () => {
  it('uses the server and token that tresor login saved when the environment names none', async () => {
    const config = mkdtempSync(join(tmpdir(), 'tresor-xdg-'))
    const tok = await server.api<{ token: string }>('POST', '/v1/tokens', {
      name: 'saved',
      project: slug,
      scopes: ['read'],
    })
    mkdirSync(join(config, 'tresor'))
    writeFileSync(
      join(config, 'tresor', 'credentials.json'),
      JSON.stringify({
        default: server.url,
        servers: { [server.url]: { token: tok.body.token, savedAt: new Date().toISOString() } },
      }),
      { mode: 0o600 },
    )
    const saved = await startMcp({ XDG_CONFIG_HOME: config, HOME: config }, [
      '-p',
      slug,
      '-e',
      'production',
    ])
    try {
      const list = await saved.json<{ vars: { key: string }[] }>('list_env_vars')
      expect(list.vars.map((v) => v.key)).toContain('OWNER_SECRET')
    } finally {
      await saved.close()
      rmSync(config, { recursive: true, force: true })
    }
  })

  it('without a server or token it exits 1 with one clear line on stderr and nothing on stdout', () => {
    const home = server.dataDir
    const noUrl = spawnSync('node', [bin, 'mcp'], {
      env: cleanEnv({ HOME: home }),
      encoding: 'utf8',
    })
    expect([noUrl.status, noUrl.stdout]).toEqual([1, ''])
    expect(noUrl.stderr).toBe(
      'tresor mcp: no Tresor server: set TRESOR_URL and TRESOR_TOKEN, or run tresor login\n',
    )
    const noToken = spawnSync('node', [bin, 'mcp'], {
      env: cleanEnv({ HOME: home, TRESOR_URL: server.url }),
      encoding: 'utf8',
    })
    expect(noToken.status).toBe(1)
    expect(noToken.stderr).toBe(
      `tresor mcp: no token for ${server.url}: set TRESOR_TOKEN, or run tresor login --url ${server.url}\n`,
    )
    const bad = spawnSync('node', [bin, 'mcp', '--nope'], {
      env: cleanEnv({ HOME: home }),
      encoding: 'utf8',
    })
    expect(bad.status).toBe(2)
  })
})
