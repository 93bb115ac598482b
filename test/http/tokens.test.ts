// Tokens over HTTP: shown once, stored only as an HMAC, listed without value or hash, scoped,
// expiring, revocable; and whoami.
import { beforeAll, expect, it } from 'vitest'
import { parseToken, hashToken } from '../../src/crypto/index.ts'
import { call, ok } from './helpers/app.ts'
import {
  describeApp,
  expectProblem,
  like,
  memberToken,
  mintToken,
  newProject,
  type TestProject,
} from './helpers/fixtures.ts'

const DAY = 86_400_000

describeApp('token routes', (t) => {
  let p: TestProject
  beforeAll(async () => {
    p = await newProject(t())
  })

  it('creates a token shown once as {id, token, expiresAt}: 30 days by default, checksummed, HMAC-stored', async () => {
    const before = Date.now()
    const res = await call(t(), 'POST', '/v1/tokens', { body: { name: 'ci', scopes: ['read'] } })
    expect(res.statusCode).toBe(201)
    const body = res.json<{ id: string; token: string; expiresAt: string }>()
    expect(Object.keys(body).sort()).toEqual(['expiresAt', 'id', 'token'])
    expect(parseToken(body.token)?.kind).toBe('pat')
    const ttl = Date.parse(body.expiresAt) - before
    expect(ttl).toBeGreaterThanOrEqual(30 * DAY)
    expect(ttl).toBeLessThan(30 * DAY + 60_000)
    const [ws] = await t().store.workspaces.list()
    const row = await t().store.tokens.get(ws?.id ?? '', body.id)
    expect(row?.tokenHash.equals(hashToken(t().pepper, body.token))).toBe(true)
    const who = await ok(t(), 'GET', '/v1/whoami', { token: body.token })
    expect(who).toEqual({
      workspaceId: ws?.id,
      actor: { kind: 'member', id: row?.memberId },
      memberId: row?.memberId,
      role: 'owner',
      tokenId: body.id,
      scopes: ['read'],
      // The member grant only developers need (an owner reveals production without it).
      revealProduction: false,
    })
    const short = await ok<{ expiresAt: string }>(t(), 'POST', '/v1/tokens', {
      body: { name: 'short', scopes: ['read'], ttl: '12h' },
      status: 201,
    })
    expect(Date.parse(short.expiresAt) - before).toBeLessThan(12 * 3_600_000 + 60_000)
  })

  it('lists tokens without their value or hash, newest state included', async () => {
    const made = await mintToken(t(), { name: 'listed', scopes: ['read', 'write'] })
    const [ws] = await t().store.workspaces.list()
    const hash = (await t().store.tokens.get(ws?.id ?? '', made.id))?.tokenHash ?? Buffer.alloc(0)
    const res = await call(t(), 'GET', '/v1/tokens')
    for (const secret of [made.token, hash.toString('hex'), hash.toString('base64')]) {
      expect(res.body).not.toContain(secret)
    }
    expect(res.body).not.toContain(t().ownerToken)
    const listed = res.json<{ tokens: Record<string, unknown>[] }>().tokens
    expect(listed.find((x) => x['id'] === made.id)).toEqual({
      id: made.id,
      name: 'listed',
      kind: 'pat',
      scopes: ['read', 'write'],
      projectId: null,
      environmentIds: null,
      expiresAt: like(/Z$/),
      revokedAt: null,
      lastUsedAt: null,
      createdAt: like(/Z$/),
      memberId: like(/^mem_/),
      agent: false,
    })
  })

  it('records when a token was last used, at most once a minute', async () => {
    const made = await mintToken(t(), { scopes: ['read'] })
    const lastUsed = async () =>
      (
        await ok<{ tokens: Array<{ id: string; lastUsedAt: string | null }> }>(
          t(),
          'GET',
          '/v1/tokens',
        )
      ).tokens.find((x) => x.id === made.id)?.lastUsedAt
    expect(await lastUsed()).toBeNull()
    const until = async (check: (v: string | null | undefined) => boolean) => {
      for (let i = 0; i < 200 && !check(await lastUsed()); i++)
        await new Promise((r) => setTimeout(r, 10))
      return lastUsed()
    }
    await ok(t(), 'GET', '/v1/whoami', { token: made.token })
    const first = await until((v) => typeof v === 'string')
    expect(Math.abs(Date.parse(first ?? '') - Date.now())).toBeLessThan(60_000)
    // Used again within the minute: the stamp stays (no write per request).
    await ok(t(), 'GET', '/v1/whoami', { token: made.token })
    await new Promise((r) => setTimeout(r, 50))
    expect(await lastUsed()).toBe(first)
    // Two minutes later (the services' clock moved), the next use stamps it again.
    t().clock.offsetMs += 120_000
    try {
      await ok(t(), 'GET', '/v1/whoami', { token: made.token })
      const second = await until((v) => v !== first)
      expect(Date.parse(second ?? '') - Date.parse(first ?? '')).toBeGreaterThanOrEqual(120_000)
    } finally {
      t().clock.offsetMs -= 120_000
    }
  })

  it('revokes a token: it stops working at once and the list shows when', async () => {
    const made = await mintToken(t(), { scopes: ['read'] })
    expect((await call(t(), 'GET', '/v1/whoami', { token: made.token })).statusCode).toBe(200)
    const revoked = await ok<{ revokedAt: string | null }>(t(), 'DELETE', `/v1/tokens/${made.id}`)
    expect(revoked.revokedAt).toMatch(/Z$/)
    const after = await call(t(), 'GET', '/v1/whoami', { token: made.token })
    expectProblem(after, 401, 'UNAUTHENTICATED')
    expect(after.headers['www-authenticate']).toBe('Bearer realm="tresor"')
    const unknown = await call(t(), 'DELETE', '/v1/tokens/tok_0000000000000000')
    expectProblem(unknown, 404, 'NOT_FOUND')
  })

  it('a read-only token cannot mint or revoke other tokens, but may revoke itself', async () => {
    const reader = await mintToken(t(), { scopes: ['read'] })
    const other = await mintToken(t(), { scopes: ['read'] })
    const mint = await call(t(), 'POST', '/v1/tokens', {
      token: reader.token,
      body: { name: 'x', scopes: ['read'], ttl: '3650d' },
    })
    expect(expectProblem(mint, 403, 'FORBIDDEN').detail).toBe(
      'a read-only token cannot create tokens',
    )
    const revoke = await call(t(), 'DELETE', `/v1/tokens/${other.id}`, { token: reader.token })
    expectProblem(revoke, 403, 'FORBIDDEN')
    expect((await call(t(), 'GET', '/v1/whoami', { token: other.token })).statusCode).toBe(200)
    await ok(t(), 'DELETE', `/v1/tokens/${reader.id}`, { token: reader.token })
    expectProblem(
      await call(t(), 'GET', '/v1/whoami', { token: reader.token }),
      401,
      'UNAUTHENTICATED',
    )
  })

  it('a token cannot grant scopes it lacks, and validates ttl and restrictions', async () => {
    const writer = await mintToken(t(), { scopes: ['read', 'write'] })
    const wider = await call(t(), 'POST', '/v1/tokens', {
      token: writer.token,
      body: { name: 'x', scopes: ['read', 'secrets:reveal', 'admin'] },
    })
    expect(expectProblem(wider, 403, 'FORBIDDEN').errors).toEqual([
      { field: 'scopes', message: 'cannot grant secrets:reveal' },
      { field: 'scopes', message: 'cannot grant admin' },
    ])
    const ttl = await call(t(), 'POST', '/v1/tokens', {
      body: { name: 'x', scopes: ['read'], ttl: 'forever' },
    })
    expect(expectProblem(ttl, 400, 'VALIDATION_FAILED').errors?.[0]?.field).toBe('ttl')
    const envs = await call(t(), 'POST', '/v1/tokens', {
      body: { name: 'x', scopes: ['read'], environments: ['staging'] },
    })
    expect(expectProblem(envs, 400, 'VALIDATION_FAILED').errors).toEqual([
      { field: 'environments', message: 'give project too' },
    ])
  })

  it("only the owner creates a token that never expires (ttl 'none')", async () => {
    const forever = await ok<{ id: string; token: string; expiresAt: string | null }>(
      t(),
      'POST',
      '/v1/tokens',
      { body: { name: 'forever', scopes: ['read'], ttl: 'none' }, status: 201 },
    )
    expect(forever.expiresAt).toBeNull()
    const [ws] = await t().store.workspaces.list()
    expect((await t().store.tokens.get(ws?.id ?? '', forever.id))?.expiresAt).toBeNull()
    expect((await call(t(), 'GET', '/v1/whoami', { token: forever.token })).statusCode).toBe(200)
    const admin = await ok<{ id: string }>(t(), 'POST', '/v1/members', {
      body: { email: 'ttl-admin@example.com', role: 'admin' },
      status: 201,
    })
    const adminToken = await memberToken(t(), admin.id, ['read', 'write', 'admin'])
    const ids = async () => (await t().store.tokens.list(ws?.id ?? '')).map((x) => x.id).sort()
    const before = await ids()
    const refused = await call(t(), 'POST', '/v1/tokens', {
      token: adminToken.token,
      body: { name: 'forever', scopes: ['read'], ttl: 'none' },
    })
    expect(expectProblem(refused, 403, 'FORBIDDEN').errors).toEqual([
      { field: 'ttl', message: "'none' needs the owner; give a duration such as 30d" },
    ])
    expect(await ids()).toEqual(before)
    // The same admin gets an expiring one.
    const expiring = await ok<{ expiresAt: string | null }>(t(), 'POST', '/v1/tokens', {
      token: adminToken.token,
      body: { name: 'thirty', scopes: ['read'] },
      status: 201,
    })
    expect(expiring.expiresAt).toMatch(/Z$/)
  })

  it('restricts a token to a project and some environments: others are 404, project writes 403', async () => {
    const svc = await ok<{ id: string; token: string }>(t(), 'POST', '/v1/tokens', {
      body: {
        name: 'deploy',
        scopes: ['read', 'write'],
        project: p.slug,
        environments: ['staging'],
      },
      status: 201,
    })
    expect(parseToken(svc.token)?.kind).toBe('svc')
    const base = `/v1/projects/${p.slug}/environments`
    const put = { key: 'A', value: '1', kind: 'config' }
    expect(
      (await call(t(), 'PUT', `${base}/staging/vars`, { token: svc.token, body: put })).statusCode,
    ).toBe(200)
    expectProblem(
      await call(t(), 'PUT', `${base}/production/vars`, { token: svc.token, body: put }),
      404,
      'NOT_FOUND',
    )
    expectProblem(
      await call(t(), 'PUT', `/v1/projects/${p.slug}/vars`, { token: svc.token, body: put }),
      403,
      'FORBIDDEN',
    )
    const project = await ok<{ environments: { slug: string }[] }>(
      t(),
      'GET',
      `/v1/projects/${p.slug}`,
      { token: svc.token },
    )
    expect(project.environments.map((e) => e.slug)).toEqual(['staging'])
    const other = await newProject(t())
    expectProblem(
      await call(t(), 'GET', `/v1/projects/${other.id}`, { token: svc.token }),
      404,
      'NOT_FOUND',
    )
    const listed = await ok<{ projects: { id: string }[] }>(t(), 'GET', '/v1/projects', {
      token: svc.token,
    })
    expect(listed.projects.map((x) => x.id)).toEqual([p.id])
  })
})
