// `tresor mcp` as an agent sees it: the built binary spawned by the SDK's stdio client, talking
// to a real `tresor server` on port 0. Config tools, refusals, deploy and status, previews.
import { randomBytes } from 'node:crypto'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import {
  buildIfStale,
  canaryForms,
  newCanary,
  startMcp,
  startServer,
  type McpSession,
  type RealServer,
} from './helpers.ts'

let server: RealServer
let mcp: McpSession
let slug: string
let agentToken: string
const canaries: string[] = []

async function documentText(env = 'staging'): Promise<string> {
  const res = await fetch(`${server.url}/v1/projects/${slug}/environments/${env}/document`, {
    headers: { authorization: `Bearer ${server.ownerToken}` },
  })
  return res.text()
}

beforeAll(async () => {
  buildIfStale()
  server = await startServer()
  slug = `mcp-${randomBytes(3).toString('hex')}`
  expect((await server.api('POST', '/v1/projects', { slug })).status).toBe(201)
  const tok = await server.api<{ token: string }>('POST', '/v1/tokens', {
    name: 'agent',
    project: slug,
    scopes: ['read', 'write', 'deploy'],
  })
  agentToken = tok.body.token
  // The owner puts a document with comments, a reference and a secret the agent must never see.
  const canary = newCanary(1)
  canaries.push(canary)
  const doc = `# database\nDATABASE_HOST=db.internal\nDB_URL=postgres://app@\${{project.DB_HOST}}/app\n\nLOG_LEVEL=info\n`
  const put = await fetch(`${server.url}/v1/projects/${slug}/environments/staging/document`, {
    method: 'PUT',
    headers: { authorization: `Bearer ${server.ownerToken}`, 'content-type': 'text/plain' },
    body: doc,
  })
  expect(put.status).toBe(200)
  const secret = await server.api('PUT', `/v1/projects/${slug}/environments/staging/vars`, {
    key: 'STRIPE_SECRET_KEY',
    value: canary,
    kind: 'secret',
  })
  expect(secret.status).toBe(200)
  mcp = await startMcp({ TRESOR_URL: server.url, TRESOR_TOKEN: agentToken, HOME: server.dataDir }, [
    '-p',
    slug,
    '-e',
    'staging',
  ])
}, 60_000)

afterAll(async () => {
  await mcp?.close()
  await server?.stop()
})

describe('tresor mcp tools', () => {
  it('lists the eight tools, each with a description and a JSON schema of its input', async () => {
    const { tools } = await mcp.client.listTools()
    mcp.transcript.push(JSON.stringify(tools))
    expect(tools.map((t) => t.name).sort()).toEqual([
      'create_preview',
      'delete_env_vars',
      'deploy',
      'env_status',
      'list_env_vars',
      'request_secret',
      'secret_request_status',
      'set_env_vars',
    ])
    for (const t of tools) expect(t.description?.length).toBeGreaterThan(80)
    const by = Object.fromEntries(tools.map((t) => [t.name, t.inputSchema]))
    expect(by.set_env_vars?.required).toEqual(['env'])
    expect(by.set_env_vars?.properties).toMatchObject({
      env: { type: 'object', additionalProperties: { type: 'string', maxLength: 65536 } },
      replace: { type: 'boolean' },
      project: { type: 'string' },
      environment: { type: 'string' },
    })
    expect(by.delete_env_vars?.properties?.keys).toMatchObject({ type: 'array', minItems: 1 })
    expect(by.request_secret?.required).toEqual(['key'])
    expect(by.secret_request_status?.required).toEqual(['id'])
    expect(by.create_preview?.required).toEqual(['slug', 'parent'])
    expect(by.list_env_vars?.properties).toHaveProperty('includeValues')
    expect(tools.find((t) => t.name === 'set_env_vars')?.description).toContain('request_secret')
  })

  it('set_env_vars merges: keys set in place or appended; comments, blank lines, references and other keys kept', async () => {
    const out = await mcp.json('set_env_vars', { env: { LOG_LEVEL: 'debug', FEATURE_X: 'on' } })
    expect(out).toMatchObject({
      project: slug,
      environment: 'staging',
      set: ['LOG_LEVEL', 'FEATURE_X'],
      warnings: [],
      redeployRequired: true,
      next: 'call deploy so that the running app sees these changes',
    })
    const text = await documentText()
    expect(text).toMatch(
      /^# database\nDATABASE_HOST=db\.internal\nDB_URL=postgres:\/\/app@\$\{\{project\.DB_HOST\}\}\/app\n\nLOG_LEVEL=debug\nSTRIPE_SECRET_KEY=\S+ # secret\nFEATURE_X=on\n$/,
    )
  })

  it('list_env_vars gives names, kinds and count; config values only when asked; never a secret or its preview', async () => {
    const names = await mcp.json<{
      vars: Record<string, unknown>[]
      count: number
      secrets: number
    }>('list_env_vars')
    expect(names.vars.find((v) => v.key === 'STRIPE_SECRET_KEY')).toEqual({
      key: 'STRIPE_SECRET_KEY',
      kind: 'secret',
    })
    expect(names.vars.find((v) => v.key === 'LOG_LEVEL')).toEqual({
      key: 'LOG_LEVEL',
      kind: 'config',
    })
    expect(names.count).toBe(names.vars.length)
    expect(names.secrets).toBe(1)
    const withValues = await mcp.json<{ vars: Record<string, unknown>[] }>('list_env_vars', {
      includeValues: true,
    })
    expect(withValues.vars.find((v) => v.key === 'LOG_LEVEL')).toEqual({
      key: 'LOG_LEVEL',
      kind: 'config',
      value: 'debug',
    })
    expect(withValues.vars.find((v) => v.key === 'APP_ENV')).toEqual({
      key: 'APP_ENV',
      kind: 'system',
      value: 'staging',
    })
    expect(withValues.vars.find((v) => v.key === 'STRIPE_SECRET_KEY')).toEqual({
      key: 'STRIPE_SECRET_KEY',
      kind: 'secret',
    })
  })

  it('delete_env_vars reports removed and notFound', async () => {
    await mcp.json('set_env_vars', { env: { OLD_FLAG: '1' } })
    const out = await mcp.json('delete_env_vars', { keys: ['OLD_FLAG', 'NEVER_SET'] })
    expect(out).toMatchObject({
      removed: ['OLD_FLAG'],
      notFound: ['NEVER_SET'],
      redeployRequired: true,
    })
    expect(await documentText()).not.toContain('OLD_FLAG')
  })

  it('a secret key, a system variable and a secret-named key are refused by name; nothing changes', async () => {
    const before = await documentText()
    const cases: [Record<string, string>, string, RegExp][] = [
      [
        { STRIPE_SECRET_KEY: 'plain' },
        'STRIPE_SECRET_KEY',
        /STRIPE_SECRET_KEY is a secret.*request_secret/,
      ],
      [{ PORT: '8080' }, 'PORT', /PORT is a system variable/],
      [{ TRESOR_DEPLOY_ID: 'x' }, 'TRESOR_DEPLOY_ID', /TRESOR_DEPLOY_ID is a system variable/],
      [{ MAILER_PASSWORD: 'hunter2' }, 'MAILER_PASSWORD', /MAILER_PASSWORD is named like a secret/],
    ]
    for (const [env, key, why] of cases) {
      const { result, text } = await mcp.call('set_env_vars', { env: { SAFE_KEY: 'ok', ...env } })
      expect(result.isError).toBe(true)
      expect(text).toMatch(
        new RegExp(`^VALIDATION_FAILED: set_env_vars refused for ${key}; nothing was changed`),
      )
      expect(text).toMatch(why)
      for (const value of Object.values(env)) expect(text).not.toContain(`${value}`)
    }
    expect(await documentText()).toBe(before)
  })

  it('replace is refused while the environment holds secrets (an agent could not restore them)', async () => {
    const { result, text } = await mcp.call('set_env_vars', { env: { ONLY: '1' }, replace: true })
    expect(result.isError).toBe(true)
    expect(text).toContain('replace would delete the secrets STRIPE_SECRET_KEY')
  })

  it('an unknown environment is the API error: code, message and request id', async () => {
    const { result, text } = await mcp.call('list_env_vars', { environment: 'nope' })
    expect(result.isError).toBe(true)
    expect(text).toMatch(/^NOT_FOUND: environment 'nope' not found\n\(request req_[0-9a-z]+\)$/)
  })

  it('env_status names drifted and missing required keys; deploy returns the release number, never env', async () => {
    const patch = await server.api('PATCH', `/v1/projects/${slug}/environments/staging`, {
      requiredKeys: ['LOG_LEVEL', 'SENTRY_DSN'],
    })
    expect(patch.status).toBe(200)
    const status = await mcp.json('env_status')
    expect(status).toMatchObject({
      environment: 'staging',
      redeployRequired: true,
      missingRequiredKeys: ['SENTRY_DSN'],
      currentRelease: null,
    })
    expect(status.driftedKeys).toEqual(
      expect.arrayContaining(['LOG_LEVEL', 'FEATURE_X', 'STRIPE_SECRET_KEY']),
    )
    const refused = await mcp.call('deploy')
    expect(refused.result.isError).toBe(true)
    expect(refused.text).toContain('SENTRY_DSN: SENTRY_DSN is required but not set in staging')
    await mcp.json('set_env_vars', { env: { SENTRY_DSN: 'https://o1.ingest.sentry.io/42' } })
    await mcp.json('set_env_vars', { env: { DB_HOST_OVERRIDE: 'x' } })
    await server.api('PUT', `/v1/projects/${slug}/vars`, {
      key: 'DB_HOST',
      value: 'db',
      kind: 'config',
    })
    const release = await mcp.json('deploy', { message: 'from the agent' })
    expect(Object.keys(release).sort()).toEqual([
      'environment',
      'id',
      'project',
      'release',
      'revision',
      'status',
    ])
    expect(release).toMatchObject({ release: 1, status: 'active' })
    expect(await mcp.json('env_status')).toMatchObject({
      redeployRequired: false,
      driftedKeys: [],
      missingRequiredKeys: [],
      currentRelease: 1,
    })
  })

  it('create_preview clones the parent with config overrides and refuses credential overrides', async () => {
    const bad = await mcp.call('create_preview', {
      slug: 'pr-7',
      parent: 'staging',
      overrides: { GITHUB_WEBHOOK: `ghp_${randomBytes(18).toString('hex')}` },
    })
    expect(bad.result.isError).toBe(true)
    expect(bad.text).toMatch(/the value of GITHUB_WEBHOOK looks like a GitHub token/)
    const out = await mcp.json('create_preview', {
      slug: 'pr-7',
      parent: 'staging',
      overrides: { PUBLIC_URL: '${PREVIEW_URL}/app' },
      url: 'https://pr-7.example.com',
      ttl: '2d',
    })
    expect(out).toMatchObject({ environment: 'pr-7', parent: 'staging', project: slug })
    const text = await documentText('pr-7')
    expect(text).toContain('PUBLIC_URL=https://pr-7.example.com/app\n')
    expect(text).toContain('PREVIEW_URL=https://pr-7.example.com\n')
    expect(text).toContain('# database\n')
    const list = await mcp.json<{ vars: { key: string; kind: string }[] }>('list_env_vars', {
      environment: 'pr-7',
    })
    expect(list.vars.find((v) => v.key === 'STRIPE_SECRET_KEY')).toEqual({
      key: 'STRIPE_SECRET_KEY',
      kind: 'secret',
    })
  })

  it('the agent token never revealed anything, and the canary is in no tool result or MCP stderr', async () => {
    const audit = await server.api<{ events: { action: string }[] }>('GET', '/v1/audit?limit=500')
    expect(audit.status).toBe(200)
    expect(audit.body.events.filter((e) => e.action === 'vars.reveal')).toEqual([])
    const everything = `${mcp.transcript.join('\n')}\n${mcp.stderr()}`
    expect(mcp.transcript.length).toBeGreaterThan(15)
    for (const canary of canaries)
      for (const form of canaryForms(canary)) expect(everything).not.toContain(form)
  })
})
