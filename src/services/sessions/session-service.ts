import type { Actor, Role } from '../../core/actor.ts'
import { AppError } from '../../core/errors.ts'
import { newId } from '../../core/ids.ts'
import { parseSealedHeader, tokensEqual, type Keyring } from '../../crypto/index.ts'
import type { JsonValue, MemberRow, SessionRow, Store } from '../../storage/store.ts'
import { appendAudit } from '../audit/audit-service.ts'
import type { Clock, RequestContext } from '../context.ts'
import { isTokenLive, tokenActor } from '../tokens/token-actor.ts'
import { ROLE_SCOPES } from '../tokens/token-service.ts'
import { authSettingsOf } from './auth-settings.ts'
import { openIdpRefresh, sealIdpRefresh } from './idp-refresh-seal.ts'
import {
  csrfTokenOf,
  hashSessionSecret,
  isRefreshSecret,
  isSessionSecret,
  newRefreshSecret,
  newSessionSecret,
} from './secrets.ts'

/** A CLI session's secret works this long; the CLI then trades its refresh secret for a new one. */
export const CLI_ACCESS_SECONDS = 15 * 60
const TOUCH_EVERY_MS = 30_000

/** What asking the IdP again about a session's member said. */
export type IdpRefreshResult =
  | { ok: true; refreshToken: string | undefined; refreshAfterSeconds: number }
  | { ok: false; reason: string }
/** Asks the IdP whether the member still may sign in (refresh-token grant). */
export type IdpRefresh = (row: SessionRow, refreshToken: string) => Promise<IdpRefreshResult>

export interface OpenSessionInput {
  member: MemberRow
  kind: SessionRow['kind']
  client: SessionRow['client']
  tokenId?: string
  idp?: { refreshToken: string | undefined; refreshAfterSeconds: number }
  ip?: string | undefined
  requestId?: string | undefined
  audit: { action: string; detail: { [k: string]: JsonValue } }
}

/** A session as the HTTP edge sees it: who, which row, and the CSRF token of its secret. */
export interface SessionAuth {
  actor: Actor
  session: SessionRow
  csrf: string
}

/** The actor an audit row names for a session's own events. */
export function sessionActor(row: Pick<SessionRow, 'id'>, member: MemberRow): Actor {
  const actor: Actor = {
    kind: 'member',
    id: member.id,
    workspaceId: member.workspaceId,
    memberId: member.id,
    role: member.role,
    scopes: ROLE_SCOPES[member.role],
    tokenId: row.id,
  }
  // The role's scopes include secrets:reveal; a developer's production reveals need the grant.
  if (member.revealProduction) actor.revealProduction = true
  return actor
}

/**
 * Server-side sessions of the dashboard (cookie) and of `tresor login --sso` (bearer): opened
 * with a personal token or through the IdP, kept by HMAC of their secret, ended by sign-out,
 * idle timeout, absolute lifetime, a revoked token, a disabled member or a failed IdP refresh.
 */
export function createSessionService(deps: {
  store: Store
  keyring: Keyring
  pepper: Buffer
  clock: Clock
  idpRefresh?: IdpRefresh
}) {
  const { store, keyring, pepper, clock } = deps
  const inFlight = new Map<string, Promise<boolean>>()

  async function open(input: OpenSessionInput) {
    const { member } = input
    const now = clock.now()
    const settings = await authSettingsOf(store, member.workspaceId, now)
    const id = newId('session', now.getTime())
    const secret = newSessionSecret()
    const refresh = input.client === 'cli' ? newRefreshSecret() : undefined
    const expiresAt = new Date(now.getTime() + settings.sessionLifetimeSeconds * 1000)
    const access =
      input.client === 'cli'
        ? new Date(Math.min(expiresAt.getTime(), now.getTime() + CLI_ACCESS_SECONDS * 1000))
        : expiresAt
    const sealed =
      input.idp?.refreshToken === undefined
        ? null
        : await sealIdpRefresh(keyring, member.workspaceId, id, input.idp.refreshToken)
    const row = await store.transaction(async (tx) => {
      const created = await tx.sessions.create({
        id,
        workspaceId: member.workspaceId,
        memberId: member.id,
        kind: input.kind,
        client: input.client,
        tokenId: input.tokenId ?? null,
        secretHash: hashSessionSecret(pepper, secret),
        refreshHash: refresh === undefined ? null : hashSessionSecret(pepper, refresh),
        createdAt: now.toISOString(),
        lastSeenAt: now.toISOString(),
        expiresAt: expiresAt.toISOString(),
        idleTimeoutSeconds: settings.idleTimeoutSeconds,
        accessExpiresAt: access.toISOString(),
        idpRefreshAt:
          input.idp === undefined
            ? null
            : new Date(now.getTime() + input.idp.refreshAfterSeconds * 1000).toISOString(),
        sealedIdpRefresh: sealed,
        keyId: sealed === null ? null : parseSealedHeader(sealed).keyId,
      })
      const ctx = { actor: sessionActor(created, member), ip: input.ip, requestId: input.requestId }
      await appendAudit(
        tx,
        clean(ctx),
        {
          workspaceId: member.workspaceId,
          action: input.audit.action,
          detail: { ...input.audit.detail, sessionId: id, client: input.client },
        },
        now,
      )
      return created
    })
    return { secret, refresh, csrf: csrfTokenOf(pepper, secret), session: row }
  }

  /** Ends a session for `reason` (audited once: later requests find it revoked). */
  async function end(row: SessionRow, reason: string, ctx?: RequestContext): Promise<void> {
    const member = await store.members.get(row.workspaceId, row.memberId)
    const now = clock.now()
    await store.transaction(async (tx) => {
      const current = await tx.sessions.get(row.workspaceId, row.id)
      if (current === undefined || current.revokedAt !== null) return
      await tx.sessions.revoke(row.workspaceId, row.id, now.toISOString())
      const actorCtx = ctx ?? (member && { actor: sessionActor(row, member) })
      const outcome = reason === 'sign-out' ? 'success' : 'denied'
      await appendAudit(
        tx,
        actorCtx,
        {
          workspaceId: row.workspaceId,
          action: 'session.end',
          outcome,
          detail: { sessionId: row.id, kind: row.kind, client: row.client, reason },
        },
        now,
      )
    })
  }

  /**
   * Session secret (cookie or CLI bearer) → actor; undefined when it no longer works.
   * `touch: false` checks without counting as activity (an open event stream rechecking its
   * caller must not keep an unattended session alive).
   */
  async function authenticate(
    secret: string,
    options: { touch?: boolean } = {},
  ): Promise<SessionAuth | undefined> {
    if (!isSessionSecret(secret)) return undefined
    const hash = hashSessionSecret(pepper, secret)
    const row = await store.sessions.getBySecretHash(hash)
    if (row === undefined || !tokensEqual(row.secretHash, hash) || row.revokedAt !== null)
      return undefined
    const now = clock.now()
    const iso = now.toISOString()
    if (row.expiresAt <= iso) return void (await end(row, 'expired'))
    if (now.getTime() - Date.parse(row.lastSeenAt) > row.idleTimeoutSeconds * 1000)
      return void (await end(row, 'idle'))
    if (row.accessExpiresAt <= iso) return undefined // a CLI secret past its access lifetime
    const member = await store.members.get(row.workspaceId, row.memberId)
    if (member === undefined || member.disabled) return void (await end(row, 'member disabled'))
    const actor = await actorOf(row, member)
    if (actor === undefined) return void (await end(row, 'token revoked or expired'))
    if (row.kind === 'sso' && row.idpRefreshAt !== null && row.idpRefreshAt <= iso) {
      if (!(await refreshOnce(row))) return undefined
    }
    if (options.touch !== false && now.getTime() - Date.parse(row.lastSeenAt) > TOUCH_EVERY_MS)
      await store.transaction((tx) => tx.sessions.touch(row.id, iso))
    return { actor, session: row, csrf: csrfTokenOf(pepper, secret) }
  }

  async function actorOf(row: SessionRow, member: MemberRow): Promise<Actor | undefined> {
    if (row.kind === 'sso') return sessionActor(row, member)
    const token =
      row.tokenId === null ? undefined : await store.tokens.get(row.workspaceId, row.tokenId)
    if (token === undefined || !isTokenLive(token, clock.now().toISOString())) return undefined
    return tokenActor(token, member)
  }

  // One IdP round trip per session at a time: concurrent requests share its outcome (a second
  // refresh with a rotated refresh token would fail and end a healthy session).
  function refreshOnce(row: SessionRow): Promise<boolean> {
    const running = inFlight.get(row.id)
    if (running !== undefined) return running
    const p = refreshIdp(row).finally(() => inFlight.delete(row.id))
    inFlight.set(row.id, p)
    return p
  }

  async function refreshIdp(row: SessionRow): Promise<boolean> {
    const fail = async (reason: string) => {
      await end(row, `idp refresh failed: ${reason}`)
      return false
    }
    if (deps.idpRefresh === undefined || row.sealedIdpRefresh === null)
      return fail('no refresh token')
    let result: IdpRefreshResult
    try {
      const token = await openIdpRefresh(keyring, row, row.sealedIdpRefresh)
      result = await deps.idpRefresh(row, token)
    } catch {
      result = { ok: false, reason: 'provider error' }
    }
    if (!result.ok) return fail(result.reason)
    const now = clock.now()
    const sealed =
      result.refreshToken === undefined
        ? undefined
        : await sealIdpRefresh(keyring, row.workspaceId, row.id, result.refreshToken)
    await store.transaction((tx) =>
      tx.sessions.renew(row.id, row.secretHash, {
        idpRefreshAt: new Date(now.getTime() + result.refreshAfterSeconds * 1000).toISOString(),
        ...(sealed === undefined
          ? {}
          : { sealedIdpRefresh: sealed, keyId: parseSealedHeader(sealed).keyId }),
      }),
    )
    return true
  }

  /** The CLI trades its refresh secret for a new session secret and refresh secret (rotated). */
  async function refreshCli(refresh: string) {
    const bad = () => new AppError('UNAUTHENTICATED', 'the session is over: run tresor login --sso')
    if (!isRefreshSecret(refresh)) throw bad()
    const hash = hashSessionSecret(pepper, refresh)
    const row = await store.sessions.getByRefreshHash(hash)
    if (row === undefined || row.refreshHash === null || !tokensEqual(row.refreshHash, hash))
      throw bad()
    const now = clock.now()
    if (row.revokedAt !== null) throw bad()
    if (row.expiresAt <= now.toISOString()) {
      await end(row, 'expired')
      throw bad()
    }
    // The same idle timeout as any request: a refresh is not a way around it.
    if (now.getTime() - Date.parse(row.lastSeenAt) > row.idleTimeoutSeconds * 1000) {
      await end(row, 'idle')
      throw bad()
    }
    const member = await store.members.get(row.workspaceId, row.memberId)
    if (member === undefined || member.disabled) {
      await end(row, 'member disabled')
      throw bad()
    }
    if (row.kind === 'sso' && !(await refreshOnce(row))) throw bad()
    const secret = newSessionSecret()
    const next = newRefreshSecret()
    const access = new Date(
      Math.min(Date.parse(row.expiresAt), now.getTime() + CLI_ACCESS_SECONDS * 1000),
    ).toISOString()
    const renewed = await store.transaction(async (tx) => {
      const ok = await tx.sessions.renew(row.id, row.secretHash, {
        secretHash: hashSessionSecret(pepper, secret),
        refreshHash: hashSessionSecret(pepper, next),
        accessExpiresAt: access,
      })
      if (ok) await tx.sessions.touch(row.id, now.toISOString())
      return ok
    })
    if (!renewed) throw bad()
    return { session: secret, refresh: next, accessExpiresAt: access, expiresAt: row.expiresAt }
  }

  /** Signs the caller's own session out (the dashboard's sign-out, `tresor logout`). */
  async function signOut(ctx: RequestContext, row: SessionRow): Promise<void> {
    await end(row, 'sign-out', ctx)
  }

  return { open, authenticate, refreshCli, signOut, end }
}

function clean(ctx: { actor: Actor; ip: string | undefined; requestId: string | undefined }) {
  return {
    actor: ctx.actor,
    ...(ctx.ip === undefined ? {} : { ip: ctx.ip }),
    ...(ctx.requestId === undefined ? {} : { requestId: ctx.requestId }),
  }
}

export type SessionService = ReturnType<typeof createSessionService>
/** Roles an IdP claim may map to. */
export type SessionRole = Role
