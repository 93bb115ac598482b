// Members and roles over HTTP: list, add, change, disable; what each role may do.
import { beforeAll, expect, it } from 'vitest'
import { call, ok } from './helpers/app.ts'
import {
  describeApp,
  expectProblem,
  like,
  memberToken,
  newProject,
  type TestProject,
} from './helpers/fixtures.ts'

interface Member {
  id: string
  email: string
  name: string
  role: string
  disabled: boolean
  revealProduction: boolean
  createdAt: string
}

describeApp('member routes and roles', (t) => {
  let p: TestProject
  let prod: string
  beforeAll(async () => {
    p = await newProject(t())
    prod = `/v1/projects/${p.slug}/environments/production/vars`
    await ok(t(), 'PUT', prod, { body: { key: 'DB_URL', value: 'postgres://u:pw@db/app' } })
    await ok(t(), 'PUT', prod.replace('production', 'staging'), {
      body: { key: 'DB_URL', value: 'postgres://u:pw@db/staging' },
    })
  })

  it('adds a member (email lower-cased) and lists members; a taken email is 409', async () => {
    const res = await call(t(), 'POST', '/v1/members', {
      body: { email: 'Dev@Example.com', role: 'developer' },
    })
    expect(res.statusCode).toBe(201)
    expect(res.json()).toEqual({
      id: like(/^mem_/),
      email: 'dev@example.com',
      name: 'dev@example.com',
      role: 'developer',
      disabled: false,
      revealProduction: false,
      createdAt: like(/Z$/),
    })
    const list = await ok<{ members: Member[] }>(t(), 'GET', '/v1/members')
    expect(list.members.map((m) => [m.email, m.role])).toEqual([
      ['owner@localhost', 'owner'],
      ['dev@example.com', 'developer'],
    ])
    const dup = await call(t(), 'POST', '/v1/members', {
      body: { email: 'dev@example.com', role: 'viewer' },
    })
    expectProblem(dup, 409, 'CONFLICT')
    const owner = await call(t(), 'POST', '/v1/members', {
      body: { email: 'o2@example.com', role: 'owner' },
    })
    expect(expectProblem(owner, 400, 'VALIDATION_FAILED').errors?.[0]?.field).toBe('role')
  })

  it('a developer reveals production secrets only when granted, with a secrets:reveal token', async () => {
    const dev = await ok<Member>(t(), 'POST', '/v1/members', {
      body: { email: 'd2@example.com', role: 'developer' },
      status: 201,
    })
    const plain = await memberToken(t(), dev.id, ['read', 'write'])
    const granted = await memberToken(t(), dev.id, ['read', 'write', 'secrets:reveal'])
    const revealProd = (token: string) => call(t(), 'POST', `${prod}/DB_URL/reveal`, { token })
    // The scope alone reaches staging, not production.
    expectProblem(await revealProd(granted.token), 403, 'FORBIDDEN')
    expect(
      await ok(t(), 'POST', `${prod.replace('production', 'staging')}/DB_URL/reveal`, {
        token: granted.token,
      }),
    ).toEqual({ key: 'DB_URL', value: 'postgres://u:pw@db/staging' })
    const updated = await ok<Member>(t(), 'PATCH', `/v1/members/${dev.id}`, {
      body: { revealProduction: true },
    })
    expect(updated).toEqual({ ...dev, revealProduction: true })
    expectProblem(await revealProd(plain.token), 403, 'FORBIDDEN')
    expect(await ok(t(), 'POST', `${prod}/DB_URL/reveal`, { token: granted.token })).toEqual({
      key: 'DB_URL',
      value: 'postgres://u:pw@db/app',
    })
    // Granted at creation too.
    const trusted = await ok<Member>(t(), 'POST', '/v1/members', {
      body: { email: 'd3@example.com', role: 'developer', revealProduction: true },
      status: 201,
    })
    expect(trusted.revealProduction).toBe(true)
    const trustedToken = await memberToken(t(), trusted.id, ['read', 'secrets:reveal'])
    expect((await revealProd(trustedToken.token)).statusCode).toBe(200)
    // Writes are a developer's job; deleting a project is an admin's.
    const put = { key: 'NEW', value: '1', kind: 'config' }
    expect((await call(t(), 'PUT', prod, { token: plain.token, body: put })).statusCode).toBe(200)
    const del = await call(t(), 'DELETE', `/v1/projects/${p.slug}`, { token: granted.token })
    expectProblem(del, 403, 'FORBIDDEN')
    const add = await call(t(), 'POST', '/v1/members', {
      token: granted.token,
      body: { email: 'x@example.com', role: 'viewer' },
    })
    expectProblem(add, 403, 'FORBIDDEN')
  })

  it('a viewer reads config and previews but cannot write or reveal', async () => {
    const viewer = await ok<Member>(t(), 'POST', '/v1/members', {
      body: { email: 'v@example.com', role: 'viewer' },
      status: 201,
    })
    // Even a token carrying wider scopes is held to the member's role.
    const tok = await memberToken(t(), viewer.id, ['read', 'write', 'secrets:reveal'])
    const list = await ok<{ vars: Record<string, unknown>[] }>(t(), 'GET', prod, {
      token: tok.token,
    })
    expect(list.vars[0]).toMatchObject({ key: 'DB_URL', kind: 'secret', preview: 'postg***/app' })
    const put = await call(t(), 'PUT', prod, {
      token: tok.token,
      body: { key: 'X', value: '1' },
    })
    expectProblem(put, 403, 'FORBIDDEN')
    const reveal = await call(t(), 'POST', `${prod}/DB_URL/reveal`, { token: tok.token })
    expectProblem(reveal, 403, 'FORBIDDEN')
  })

  it('changes a role, disables a member (their tokens stop working) and never touches the owner', async () => {
    const m = await ok<Member>(t(), 'POST', '/v1/members', {
      body: { email: 'c@example.com', role: 'viewer' },
      status: 201,
    })
    const tok = await memberToken(t(), m.id, ['read', 'write'])
    const promoted = await ok<Member>(t(), 'PATCH', `/v1/members/${m.id}`, {
      body: { role: 'developer' },
    })
    expect([promoted.role, promoted.disabled]).toEqual(['developer', false])
    expect((await call(t(), 'GET', '/v1/whoami', { token: tok.token })).json()).toMatchObject({
      role: 'developer',
    })
    await ok(t(), 'PATCH', `/v1/members/${m.id}`, { body: { disabled: true } })
    expectProblem(
      await call(t(), 'GET', '/v1/whoami', { token: tok.token }),
      401,
      'UNAUTHENTICATED',
    )
    const list = await ok<{ members: Member[] }>(t(), 'GET', '/v1/members')
    const owner = list.members.find((x) => x.role === 'owner')
    const touch = await call(t(), 'PATCH', `/v1/members/${owner?.id ?? ''}`, {
      body: { disabled: true },
    })
    expect(expectProblem(touch, 403, 'FORBIDDEN').detail).toBe(
      'the owner cannot be changed or disabled',
    )
    const unknown = await call(t(), 'PATCH', '/v1/members/mem_0000000000000000', {
      body: { role: 'viewer' },
    })
    expectProblem(unknown, 404, 'NOT_FOUND')
  })
})
