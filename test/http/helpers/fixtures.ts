// What the http suites set up through the API (projects, tokens) or, where no API can, directly
// in the store (a second workspace with its own member and token).
import { randomBytes } from 'node:crypto'
import { afterAll, beforeAll, describe, expect } from 'vitest'
import { ProblemSchema } from '../../../src/api/errors.ts'
import type { Scope } from '../../../src/core/actor.ts'
import { newId } from '../../../src/core/ids.ts'
import {
  createStaticKeyProvider,
  createWrappedDataKey,
  generateToken,
  hashToken,
} from '../../../src/crypto/index.ts'
import { ENGINES } from '../../helpers/stores.ts'
import { ok, startApp, type AppOptions, type AppUnderTest } from './app.ts'

/**
 * Declares `name` once per engine under test, each with its own app (fresh data dir or schema)
 * shared by the tests of that block.
 */
export function describeApp(
  name: string,
  body: (t: () => AppUnderTest) => void,
  options: AppOptions = {},
): void {
  describe.each(ENGINES)(`${name} [%s]`, (engine) => {
    let current: AppUnderTest | undefined
    beforeAll(async () => {
      current = await startApp({ ...options, engine })
    })
    afterAll(async () => {
      await current?.close()
    })
    body(() => {
      if (current === undefined) throw new Error(`the ${engine} app did not start`)
      return current
    })
  })
}

export interface TestProject {
  id: string
  slug: string
  /** Environment ids by slug. */
  envs: Record<string, string>
}

/** A new project with the three default environments and a unique slug. */
export async function newProject(t: AppUnderTest, prefix = 'app'): Promise<TestProject> {
  const slug = `${prefix}-${randomBytes(4).toString('hex')}`
  const body = await ok<{ id: string; slug: string; environments: { id: string; slug: string }[] }>(
    t,
    'POST',
    '/v1/projects',
    { body: { slug }, status: 201 },
  )
  return {
    id: body.id,
    slug: body.slug,
    envs: Object.fromEntries(body.environments.map((e) => [e.slug, e.id])),
  }
}

export interface TokenRequest {
  name?: string
  scopes: Scope[]
  ttl?: string
  project?: string
  environments?: string[]
}

/** A token made through `POST /v1/tokens` with the owner token; returns its id and value. */
export async function mintToken(
  t: AppUnderTest,
  request: TokenRequest,
): Promise<{ id: string; token: string }> {
  return ok(t, 'POST', '/v1/tokens', {
    body: { name: 'test', ...request },
    status: 201,
  })
}

export interface OtherWorkspace {
  workspaceId: string
  memberId: string
  tokenId: string
  token: string
}

/** A second workspace made in the store directly: its data key, an owner and an admin token. */
export async function addWorkspace(t: AppUnderTest): Promise<OtherWorkspace> {
  const now = new Date().toISOString()
  const workspaceId = newId('workspace')
  const provider = createStaticKeyProvider(t.rootKey)
  const { dataKey, wrapped } = await createWrappedDataKey(provider, workspaceId)
  const memberId = newId('member')
  const tokenId = newId('token')
  const token = generateToken('pat')
  await t.store.transaction(async (tx) => {
    await tx.workspaces.create({ id: workspaceId, name: 'other', createdAt: now })
    await tx.dataKeys.create({
      id: dataKey.keyId,
      workspaceId,
      version: 1,
      wrappedKey: wrapped,
      rootKeyId: provider.id,
      state: 'current',
      createdAt: now,
    })
    const member = { id: memberId, workspaceId, email: 'other@example.com', name: 'Other' }
    await tx.members.create({ ...member, role: 'owner', disabled: false, createdAt: now })
    await tx.tokens.create({
      id: tokenId,
      workspaceId,
      memberId,
      kind: 'pat',
      name: 'other',
      tokenHash: hashToken(t.pepper, token),
      scopes: ['read', 'write', 'secrets:reveal', 'deploy', 'admin'],
      projectId: null,
      environmentIds: null,
      expiresAt: null,
      createdAt: now,
    })
  })
  return { workspaceId, memberId, tokenId, token }
}

/** Asserts an RFC 9457 problem of `status` and `code`; returns it parsed. */
export function expectProblem(
  res: { statusCode: number; headers: Record<string, unknown>; body: string },
  status: number,
  code: string,
) {
  expect({ status: res.statusCode, type: res.headers['content-type'] }).toEqual({
    status,
    type: 'application/problem+json; charset=utf-8',
  })
  const problem = ProblemSchema.parse(JSON.parse(res.body))
  expect(problem).toMatchObject({ status, code })
  expect(problem.requestId).toBe(res.headers['x-request-id'])
  return problem
}

/** A random printable secret of `length` characters that appears nowhere by chance. */
export function canaryValue(length = 40): string {
  return `cn${randomBytes(length).toString('hex')}`.slice(0, length)
}

export const TEXT = { 'content-type': 'text/plain; charset=utf-8' }

/** A personal token for `memberId` of the app's first workspace, made in the store directly. */
export async function memberToken(
  t: AppUnderTest,
  memberId: string,
  scopes: Scope[],
): Promise<{ id: string; token: string }> {
  const [workspace] = await t.store.workspaces.list()
  const token = generateToken('pat')
  const id = newId('token')
  await t.store.transaction((tx) =>
    tx.tokens.create({
      id,
      workspaceId: workspace?.id ?? '',
      memberId,
      kind: 'pat',
      name: 'member',
      tokenHash: hashToken(t.pepper, token),
      scopes,
      projectId: null,
      environmentIds: null,
      expiresAt: null,
      createdAt: new Date().toISOString(),
    }),
  )
  return { id, token }
}

/** `expect.stringMatching`, typed as the string it stands for inside an expected object. */
export const like = (pattern: RegExp): string => expect.stringMatching(pattern) as string
