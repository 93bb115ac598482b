// The public side of secret requests: what the link's page shows, and the one submission it
// accepts. Callers are anonymous; the write acts as the request's creator.
import type { Actor } from '../../core/actor.ts'
import { AppError, isAppError } from '../../core/errors.ts'
import { hashToken, tokensEqual } from '../../crypto/index.ts'
import type { SecretRequestRow, Store } from '../../storage/store.ts'
import { appendAudit } from '../audit/audit-service.ts'
import type { Clock, RequestContext } from '../context.ts'
import { resolveEnvironment, type Target } from '../projects/targets.ts'
import { isTokenLive, tokenActor } from '../tokens/token-actor.ts'
import type { VariableService } from '../variables/variable-service.ts'
import { assertNotReserved } from '../variables/var-rules.ts'

/** Where the anonymous submission came from (audited with the write). */
export interface LinkCaller {
  ip?: string
  requestId?: string
}

const UNKNOWN_LINK = 'This link is not valid: check that it was copied whole'
const USED = 'This link was already used: the value was stored once and the link is now dead'
const EXPIRED = 'This link has expired: ask for a new one'
const NO_ACCESS =
  'This link can no longer be used: its creator lost access, or the environment was deleted'

/** Inspect and fulfil by link token; `createSecretRequestService` spreads these in. */
export function createLinkUse(deps: {
  store: Store
  variables: VariableService
  pepper: Buffer
  clock: Clock
}) {
  const { store, variables, pepper, clock } = deps

  async function find(token: string): Promise<SecretRequestRow> {
    const hash = hashToken(pepper, token)
    const row = await store.secretRequests.getByTokenHash(hash)
    if (row === undefined || !tokensEqual(row.tokenHash, hash))
      throw new AppError('NOT_FOUND', UNKNOWN_LINK)
    return row
  }

  // The creator's token as it is now: a revoked or expired token, or a disabled member, can no
  // longer be acted for (the same checks as authentication, minus the hash lookup).
  async function creator(row: SecretRequestRow, now: Date): Promise<Actor> {
    const tok = await store.tokens.get(row.workspaceId, row.createdBy)
    if (tok === undefined || !isTokenLive(tok, now.toISOString()))
      throw new AppError('GONE', NO_ACCESS)
    const member =
      tok.memberId === null ? undefined : await store.members.get(tok.workspaceId, tok.memberId)
    if (tok.memberId !== null && (member === undefined || member.disabled))
      throw new AppError('GONE', NO_ACCESS)
    // Not marked `agent`: the person who answers the link writes the value, on the creator's
    // authority, which an agent may hold.
    return tokenActor(tok, member)
  }

  async function usable(token: string, caller: LinkCaller) {
    const row = await find(token)
    const now = clock.now()
    if (row.fulfilledAt !== null) {
      await auditReuse(row, caller, now)
      throw new AppError('GONE', USED)
    }
    if (row.expiresAt <= now.toISOString()) throw new AppError('GONE', EXPIRED)
    const ctx: RequestContext = { actor: await creator(row, now), ...caller }
    // Re-checked on every use: the creator may have lost write access since the link was made.
    const target = await resolveEnvironment(
      store,
      ctx,
      row.projectId,
      row.environmentId,
      'write',
    ).catch((err: unknown) => {
      if (isAppError(err, 'NOT_FOUND') || isAppError(err, 'FORBIDDEN'))
        throw new AppError('GONE', NO_ACCESS)
      throw err
    })
    assertNotReserved(target, [row.key])
    return { row, ctx, target, now }
  }

  function info(row: SecretRequestRow, target: Target) {
    return {
      key: row.key,
      description: row.description,
      project: target.project.slug,
      environment: target.env?.slug ?? '',
      expiresAt: row.expiresAt,
    }
  }

  /** What the page shows: key, description, project, environment, expiry; GONE when unusable. */
  async function inspect(token: string, caller: LinkCaller = {}) {
    const { row, target } = await usable(token, caller)
    return info(row, target)
  }

  /**
   * Stores `value` as the secret `row.key`, exactly once: the request is consumed first in one
   * conditional update (two racing submissions cannot both win), then the value is written as
   * the creator. A consumed link whose write then fails stays consumed: ask for a new link.
   */
  async function fulfill(token: string, value: string, caller: LinkCaller = {}) {
    const { row, ctx, target, now } = await usable(token, caller)
    const won = await store.transaction(async (tx) => {
      if (!(await tx.secretRequests.fulfill(row.id, now.toISOString()))) return false
      await appendAudit(
        tx,
        ctx,
        {
          workspaceId: row.workspaceId,
          action: 'secret_request.fulfill',
          projectId: row.projectId,
          environmentId: row.environmentId,
          keys: [row.key],
          detail: { via: 'secret-request', secretRequestId: row.id, kind: 'secret' },
        },
        now,
      )
      return true
    })
    if (!won) throw new AppError('GONE', USED)
    const out = await variables.set(target, ctx, { key: row.key, value, kind: 'secret' })
    return {
      key: row.key,
      project: target.project.slug,
      environment: target.env?.slug ?? '',
      status: 'fulfilled' as const,
      redeployRequired: out.redeployRequired,
    }
  }

  async function auditReuse(row: SecretRequestRow, caller: LinkCaller, now: Date) {
    await store.transaction((tx) =>
      appendAudit(
        tx,
        undefined,
        {
          workspaceId: row.workspaceId,
          action: 'secret_request.reuse',
          projectId: row.projectId,
          environmentId: row.environmentId,
          keys: [row.key],
          outcome: 'denied',
          detail: {
            secretRequestId: row.id,
            ...(caller.ip === undefined ? {} : { ip: caller.ip }),
            ...(caller.requestId === undefined ? {} : { requestId: caller.requestId }),
          },
        },
        now,
      ),
    )
  }

  return { inspect, fulfill }
}
