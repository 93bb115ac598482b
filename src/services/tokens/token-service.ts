import { assertCan, type Actor, type Role, type Scope } from '../../core/actor.ts'
import { parseDuration } from '../../core/duration.ts'
import { AppError } from '../../core/errors.ts'
import { newId } from '../../core/ids.ts'
import { generateToken, hashToken, tokensEqual } from '../../crypto/index.ts'
import type { Store, TokenRow } from '../../storage/store.ts'
import { appendAudit } from '../audit/audit-service.ts'
import type { Clock, RequestContext } from '../context.ts'
import { resolveEnvironment, resolveProject } from '../projects/targets.ts'
import { isTokenLive, tokenActor } from './token-actor.ts'

export interface CreateTokenInput {
  name: string
  ttl?: string | undefined
  scopes: readonly Scope[]
  project?: string | undefined
  environments?: readonly string[] | undefined
  kind?: 'pat' | 'svc' | undefined
  /** For an AI agent: the server refuses it secret values and secret writes. */
  agent?: boolean | undefined
}

const DEFAULT_TTL = '30d'
const TOUCH_EVERY_MS = 60_000

/** What each role may do at most; an SSO session carries exactly its role's scopes. */
export const ROLE_SCOPES: Record<Role, readonly Scope[]> = {
  owner: ['read', 'write', 'secrets:reveal', 'deploy', 'admin'],
  admin: ['read', 'write', 'secrets:reveal', 'deploy', 'admin'],
  developer: ['read', 'write', 'secrets:reveal', 'deploy'],
  viewer: ['read'],
}

/**
 * Tokens: issued once (only an HMAC under the server pepper is kept), scoped, expiring,
 * revocable; and the per-request check that turns a bearer token into an Actor.
 */
export function createTokenService(deps: { store: Store; pepper: Buffer; clock: Clock }) {
  const { store, pepper, clock } = deps

  async function create(ctx: RequestContext, input: CreateTokenInput) {
    const kind = input.kind ?? (input.project === undefined ? 'pat' : 'svc')
    const { actor } = ctx
    if (actor.agent === true) throw new AppError('FORBIDDEN', 'agent tokens cannot create tokens')
    if (actor.memberId === undefined || actor.role === undefined) {
      throw new AppError('FORBIDDEN', 'service tokens cannot create tokens')
    }
    // Minting a token is a write: a leaked read-only token must not be able to outlive itself.
    if (!mayWrite(actor)) throw new AppError('FORBIDDEN', 'a read-only token cannot create tokens')
    const allowed = ROLE_SCOPES[actor.role]
    const tooWide = input.scopes.filter((s) => !allowed.includes(s) || !tokenMayGrant(actor, s))
    if (tooWide.length > 0) {
      throw new AppError(
        'FORBIDDEN',
        `this token cannot grant: ${tooWide.join(', ')}`,
        tooWide.map((s) => ({ field: 'scopes', message: `cannot grant ${s}` })),
      )
    }
    if (kind === 'svc') assertCan(actor, 'admin')
    const { projectId, environmentIds } = await restriction(ctx, input)
    const now = clock.now()
    // A token that never expires outlives every rotation routine: only the owner may make one.
    if (input.ttl === 'none' && actor.role !== 'owner')
      throw new AppError('FORBIDDEN', 'only the owner may create a token that never expires', [
        { field: 'ttl', message: "'none' needs the owner; give a duration such as 30d" },
      ])
    const ttlMs = input.ttl === 'none' ? null : parseDuration(input.ttl ?? DEFAULT_TTL)
    if (ttlMs === undefined)
      throw new AppError(
        'VALIDATION_FAILED',
        'ttl must look like 30d, 12h or 15m (at most 10 years)',
        [{ field: 'ttl', message: 'invalid duration' }],
      )
    const token = generateToken(kind)
    const row = await store.transaction(async (tx) => {
      const created = await tx.tokens.create({
        id: newId('token', now.getTime()),
        workspaceId: actor.workspaceId,
        memberId: kind === 'pat' ? (actor.memberId ?? null) : null,
        kind,
        name: input.name,
        tokenHash: hashToken(pepper, token),
        scopes: [...new Set(input.scopes)],
        agent: input.agent === true,
        projectId,
        environmentIds,
        expiresAt: ttlMs === null ? null : new Date(now.getTime() + ttlMs).toISOString(),
        createdAt: now.toISOString(),
      })
      await appendAudit(
        tx,
        ctx,
        {
          workspaceId: actor.workspaceId,
          action: 'token.create',
          projectId,
          detail: {
            tokenId: created.id,
            name: input.name,
            kind,
            scopes: [...created.scopes],
            agent: created.agent,
          },
        },
        now,
      )
      return created
    })
    return { id: row.id, token, expiresAt: row.expiresAt }
  }

  async function restriction(ctx: RequestContext, input: CreateTokenInput) {
    if (input.project === undefined) {
      if (input.environments !== undefined)
        throw new AppError('VALIDATION_FAILED', 'environments need a project', [
          { field: 'environments', message: 'give project too' },
        ])
      return {
        projectId: ctx.actor.projectId ?? null,
        environmentIds: ctx.actor.environmentIds ? [...ctx.actor.environmentIds] : null,
      }
    }
    const project = await resolveProject(store, ctx, input.project, 'read')
    if (input.environments === undefined)
      return {
        projectId: project.id,
        environmentIds: ctx.actor.environmentIds ? [...ctx.actor.environmentIds] : null,
      }
    const ids: string[] = []
    for (const env of input.environments)
      ids.push(
        (await resolveEnvironment(store, ctx, project.id, env, 'read')).scope.environmentId ?? '',
      )
    return { projectId: project.id, environmentIds: ids }
  }

  /** The caller's own tokens; admins see every token of the workspace. Never a token value. */
  async function list(ctx: RequestContext) {
    const { actor } = ctx
    const all = await store.tokens.list(actor.workspaceId)
    const mine = (t: TokenRow) => t.memberId !== null && t.memberId === actor.memberId
    return all.filter(
      (t) =>
        mine(t) ||
        (actor.role !== undefined &&
          actor.role !== 'developer' &&
          actor.role !== 'viewer' &&
          actor.scopes.includes('admin')),
    )
  }

  async function revoke(ctx: RequestContext, id: string) {
    const { actor } = ctx
    // Any token may revoke itself (log out); revoking another one is a write.
    if (id !== actor.tokenId && !mayWrite(actor))
      throw new AppError('FORBIDDEN', 'a read-only token can revoke only itself')
    const row = await store.tokens.get(actor.workspaceId, id)
    const isAdmin =
      actor.role === 'owner' || (actor.role === 'admin' && actor.scopes.includes('admin'))
    if (row === undefined || (row.memberId !== actor.memberId && !isAdmin))
      throw new AppError('NOT_FOUND', `token ${id} not found`)
    const now = clock.now()
    return store.transaction(async (tx) => {
      const revoked = await tx.tokens.revoke(actor.workspaceId, id, now.toISOString())
      await appendAudit(
        tx,
        ctx,
        {
          workspaceId: actor.workspaceId,
          action: 'token.revoke',
          detail: { tokenId: id, name: row.name },
        },
        now,
      )
      return revoked
    })
  }

  /** Bearer token → Actor, or undefined (unknown, revoked, expired, disabled member). */
  async function authenticate(token: string, ip: string): Promise<Actor | undefined> {
    const hash = hashToken(pepper, token)
    const row = await store.tokens.getByHash(hash)
    const now = clock.now()
    if (row === undefined || !tokensEqual(row.tokenHash, hash)) {
      // An unknown token belongs to no workspace. On a single-workspace server (the usual
      // self-hosted case) its failure goes to that workspace's audit log; with several tenants it
      // would tell one tenant's admins about another's callers, so it is left to the rate limiter
      // and the server log. The limiter bounds how many of these rows one address can cause.
      const workspaces = await store.workspaces.list()
      const only = workspaces.length === 1 ? workspaces[0] : undefined
      if (only !== undefined) await auditFailure(only.id, ip, 'unknown token')
      return undefined
    }
    if (!isTokenLive(row, now.toISOString())) {
      await auditFailure(
        row.workspaceId,
        ip,
        row.revokedAt !== null ? 'revoked' : 'expired',
        row.id,
      )
      return undefined
    }
    const member =
      row.memberId === null ? undefined : await store.members.get(row.workspaceId, row.memberId)
    if (row.memberId !== null && (member === undefined || member.disabled)) return undefined
    if (row.lastUsedAt === null || now.getTime() - Date.parse(row.lastUsedAt) > TOUCH_EVERY_MS) {
      void store
        .transaction((tx) => tx.tokens.touch(row.id, now.toISOString()))
        .catch(() => undefined)
    }
    const actor = tokenActor(row, member)
    if (row.agent) actor.agent = true
    return actor
  }

  async function auditFailure(workspaceId: string, ip: string, reason: string, tokenId?: string) {
    const ctx = {
      actor: {
        kind: 'token',
        id: tokenId ?? 'unknown',
        workspaceId,
        scopes: [],
        tokenId: tokenId ?? 'unknown',
      } as Actor,
      ip,
    }
    await store.transaction((tx) =>
      appendAudit(
        tx,
        ctx,
        { workspaceId, action: 'auth.failed', outcome: 'denied', detail: { reason } },
        clock.now(),
      ),
    )
  }

  return { create, list, revoke, authenticate, auditFailure }
}

function mayWrite(actor: Actor): boolean {
  return actor.scopes.includes('write') || actor.scopes.includes('admin')
}

function tokenMayGrant(actor: Actor, scope: Scope): boolean {
  return actor.scopes.includes('admin') || actor.scopes.includes(scope)
}

export type TokenService = ReturnType<typeof createTokenService>
