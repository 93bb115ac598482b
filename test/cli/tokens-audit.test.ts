import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import {
  cliFor,
  ensureBuilt,
  startServer,
  tempDir,
  type TestServer,
  removeTempDirs,
} from './helpers.ts'

let server: TestServer
let cli: ReturnType<typeof cliFor>
let readToken: string
let readTokenId: string

beforeAll(async () => {
  ensureBuilt()
  server = await startServer()
  cli = cliFor(server, tempDir())
  await cli.tresor(['projects:create', 'svc'])
  await cli.tresor(['secrets:set', 'KEY', '-p', 'svc', '-e', 'staging'], {
    input: 'audit-me-please-0123',
  })
})
afterAll(async () => {
  await server.stop()
  removeTempDirs()
})

describe('tokens', () => {
  it('prints a new token once on stdout, and only there', async () => {
    const run = await cli.tresor([
      'tokens:create',
      '--name',
      'reader',
      '--scope',
      'read',
      '--ttl',
      '1d',
    ])
    expect(run.code).toBe(0)
    expect(run.stdout).toMatch(/^tresor_pat_\S+\n$/)
    readToken = run.stdout.trim()
    const m =
      /^Created token reader \((tok_[0-9a-z]{16})\), expires \S+\. It is shown only this once\.\n$/.exec(
        run.stderr,
      )
    expect(m).not.toBeNull()
    readTokenId = m?.[1] ?? ''
    const list = await cli.tresor(['tokens', '--json'])
    expect(list.stdout).not.toContain(readToken)
    const tokens = (JSON.parse(list.stdout) as { tokens: Array<Record<string, unknown>> }).tokens
    expect(tokens.find((t) => t.id === readTokenId)).toMatchObject({
      name: 'reader',
      kind: 'pat',
      scopes: ['read'],
      revokedAt: null,
    })
  })

  it('makes a service token for one project with -p', async () => {
    const run = await cli.tresor([
      'tokens:create',
      '--name',
      'ci',
      '-p',
      'svc',
      '-e',
      'staging',
      '--scope',
      'read,deploy',
      '--json',
    ])
    const body = JSON.parse(run.stdout) as Record<string, unknown>
    expect(Object.keys(body).sort()).toEqual(['expiresAt', 'id', 'name', 'scopes', 'token'])
    expect(body.token).toMatch(/^tresor_svc_/)
    expect(body.scopes).toEqual(['read', 'deploy'])
  })

  it('checks names and scopes before calling the server', async () => {
    const [noName, badScope] = await Promise.all([
      cli.tresor(['tokens:create', '--scope', 'read']),
      cli.tresor(['tokens:create', '--name', 'x', '--scope', 'root']),
    ])
    expect(noName.code).toBe(2)
    expect(noName.stderr).toContain('error: give the token a --name\n')
    expect(badScope.code).toBe(2)
    expect(badScope.stderr).toContain(
      'error: unknown scope root; scopes are read, write, secrets:reveal, deploy, admin\n',
    )
  })

  it('lets a read token read but not write (FORBIDDEN, exit 1)', async () => {
    const env = { TRESOR_TOKEN: readToken }
    const [read, write] = await Promise.all([
      cli.tresor(['secrets', '-p', 'svc', '-e', 'staging'], { env }),
      cli.tresor(['config:set', 'A=1', '-p', 'svc', '-e', 'staging'], { env }),
    ])
    expect(read.stdout).toBe('KEY\tsecret\taudit***0123\n')
    expect(write.code).toBe(1)
    expect(write.stderr).toMatch(/^FORBIDDEN: .+ \(request req_[0-9a-z]{16}\)\n$/)
  })

  it('revokes a token, which then stops working', async () => {
    const run = await cli.tresor(['tokens:revoke', readTokenId])
    expect(run.stderr).toBe(`Revoked token reader (${readTokenId}).\n`)
    const after = await cli.tresor(['projects'], { env: { TRESOR_TOKEN: readToken } })
    expect(after.code).toBe(1)
    expect(after.stderr).toMatch(/^UNAUTHENTICATED: /)
    const [live, all] = await Promise.all([cli.tresor(['tokens']), cli.tresor(['tokens', '--all'])])
    expect(live.stdout).not.toContain(readTokenId)
    expect(all.stdout).toMatch(
      new RegExp(`^${readTokenId}\\treader\\tpat\\tread\\t.*\\trevoked$`, 'm'),
    )
  })
})

describe('audit', () => {
  it('lists a reveal with its key and never the value', async () => {
    const got = await cli.tresor(['secrets:get', 'KEY', '-p', 'svc', '-e', 'staging'])
    expect(got.stdout).toBe('audit-me-please-0123')
    const run = await cli.tresor(['audit', '--action', 'vars.reveal', '-p', 'svc', '--json'])
    const events = (JSON.parse(run.stdout) as { events: Array<Record<string, unknown>> }).events
    expect(events.map((e) => [e.action, e.keys, e.outcome])).toEqual([
      ['vars.reveal', ['KEY'], 'success'],
    ])
    expect(run.stdout).not.toContain('audit-me-please')
    const table = await cli.tresor(['audit', '--limit', '2'])
    expect(table.stdout.split('\n')[0]).toMatch(
      /^\d+\t\S+\tmem_\w+\tvars\.reveal\tKEY\tsuccess\treq_\w+$/,
    )
  })

  it('verifies the hash chain', async () => {
    const [text, json] = await Promise.all([
      cli.tresor(['audit', '--verify']),
      cli.tresor(['audit', '--verify', '--json']),
    ])
    expect(text.code).toBe(0)
    expect(text.stdout).toMatch(/^Audit chain intact: \d+ events verified\.\n$/)
    expect(JSON.parse(json.stdout)).toMatchObject({ ok: true })
  })
})

describe('members', () => {
  it('adds a developer, grants and withdraws production reveals, disables them', async () => {
    const add = await cli.tresor(['members:add', 'Dev@Example.com', '--role', 'developer'])
    expect(add.code).toBe(0)
    const id = /^Added dev@example\.com \((mem_[0-9a-z]{16})\) as developer\.\n$/.exec(
      add.stderr,
    )?.[1]
    expect(id).toBeDefined()
    const listed = await cli.tresor(['members', '--json'])
    const members = (JSON.parse(listed.stdout) as { members: Array<Record<string, unknown>> })
      .members
    expect(members.find((m) => m['id'] === id)).toMatchObject({
      email: 'dev@example.com',
      role: 'developer',
      disabled: false,
      revealProduction: false,
    })
    const table = await cli.tresor(['members'])
    expect(table.stdout).toMatch(
      new RegExp(`^${id}\\tdev@example\\.com\\t\\S+\\tdeveloper\\tno\\tactive$`, 'm'),
    )
    const grant = await cli.tresor(['members:update', id ?? '', '--reveal-production'])
    expect([grant.code, grant.stderr]).toEqual([
      0,
      `Updated dev@example.com (${id}): developer, active, production reveals granted.\n`,
    ])
    expect((await cli.tresor(['members'])).stdout).toMatch(
      new RegExp(`^${id}\\t.*\\tdeveloper\\tgranted\\tactive$`, 'm'),
    )
    const off = await cli.tresor([
      'members:update',
      id ?? '',
      '--no-reveal-production',
      '--disable',
    ])
    expect([off.code, off.stderr]).toEqual([
      0,
      `Updated dev@example.com (${id}): developer, disabled, production reveals not granted.\n`,
    ])
    const trusted = await cli.tresor([
      'members:add',
      'lead@example.com',
      '--role',
      'developer',
      '--reveal-production',
      '--json',
    ])
    expect(JSON.parse(trusted.stdout)).toMatchObject({ role: 'developer', revealProduction: true })
  })

  it('checks roles and changes before calling the server; the server checks the email', async () => {
    const [noRole, badRole, nothing, both] = await Promise.all([
      cli.tresor(['members:add', 'x@example.com']),
      cli.tresor(['members:add', 'x@example.com', '--role', 'owner']),
      cli.tresor(['members:update', 'mem_0123456789abcdef']),
      cli.tresor(['members:update', 'mem_0123456789abcdef', '--disable', '--enable']),
    ])
    expect([noRole.code, noRole.stderr]).toEqual([
      2,
      expect.stringContaining('error: give the member a --role (admin, developer, viewer)\n'),
    ])
    expect(badRole.stderr).toContain(
      'error: unknown role owner; a member is one of admin, developer, viewer\n',
    )
    expect([nothing.code, both.code]).toEqual([2, 2])
    expect(nothing.stderr).toContain('error: nothing to change')
    const bad = await cli.tresor(['members:add', 'not-an-email', '--role', 'viewer'])
    expect(bad.code).toBe(1)
    expect(bad.stderr).toMatch(/^VALIDATION_FAILED: /)
  })
})
