import { randomBytes } from 'node:crypto'
import { parseDuration } from '../../core/duration.ts'
import { AppError } from '../../core/errors.ts'
import { newId } from '../../core/ids.ts'
import { hashToken } from '../../crypto/index.ts'
import type { SecretRequestRow, Store } from '../../storage/store.ts'
import { appendAudit } from '../audit/audit-service.ts'
import type { Clock, RequestContext } from '../context.ts'
import type { Target } from '../projects/targets.ts'
import type { VariableService } from '../variables/variable-service.ts'
import { assertNotReserved } from '../variables/var-rules.ts'
import { createLinkUse } from './link-use.ts'

export interface CreateSecretRequestInput {
  key: string
  description?: string | undefined
  ttl?: string | undefined
}

export type SecretRequestStatus = 'pending' | 'fulfilled' | 'expired'

/** A secret request as its creator may see it: never a value, never the link token. */
export interface SecretRequestView {
  id: string
  key: string
  description: string | null
  status: SecretRequestStatus
  project: string
  environment: string
  expiresAt: string
  fulfilledAt: string | null
  createdAt: string
  createdBy: string
}

const DEFAULT_TTL_MS = 24 * 3_600_000
const MAX_TTL_MS = 7 * 24 * 3_600_000
// 32 bytes = 256 bits: far past guessing, and base64url keeps it one clean URL fragment.
const LINK_TOKEN_BYTES = 32

/** pending / fulfilled / expired at `now`. */
export function statusOf(row: SecretRequestRow, now: Date): SecretRequestStatus {
  if (row.fulfilledAt !== null) return 'fulfilled'
  return row.expiresAt <= now.toISOString() ? 'expired' : 'pending'
}

function ttlMsOf(ttl: string | undefined): number {
  if (ttl === undefined) return DEFAULT_TTL_MS
  const ms = parseDuration(ttl)
  if (ms === undefined || ms > MAX_TTL_MS)
    throw new AppError('VALIDATION_FAILED', 'ttl must look like 24h, 30m or 2d and be at most 7d', [
      { field: 'ttl', message: 'invalid duration (at most 7d)' },
    ])
  return ms
}

/**
 * Secret requests: one-time links through which a person types a secret's value, so that it
 * never passes through the caller (an AI agent, a script). The link token is shown once and
 * stored only as an HMAC under the server pepper.
 */
export function createSecretRequestService(deps: {
  store: Store
  variables: VariableService
  pepper: Buffer
  clock: Clock
}) {
  const { store, pepper, clock } = deps

  function view(target: Target, row: SecretRequestRow): SecretRequestView {
    return {
      id: row.id,
      key: row.key,
      description: row.description,
      status: statusOf(row, clock.now()),
      project: target.project.slug,
      environment: target.env?.slug ?? '',
      expiresAt: row.expiresAt,
      fulfilledAt: row.fulfilledAt,
      createdAt: row.createdAt,
      createdBy: row.createdBy,
    }
  }

  /** Creates a request for `input.key` in the (write-checked) environment; returns its token once. */
  async function create(target: Target, ctx: RequestContext, input: CreateSecretRequestInput) {
    if (target.env === null)
      throw new AppError('BAD_REQUEST', 'secret requests need an environment')
    assertNotReserved(target, [input.key])
    const now = clock.now()
    const token = randomBytes(LINK_TOKEN_BYTES).toString('base64url')
    const row = await store.transaction(async (tx) => {
      const created = await tx.secretRequests.create({
        id: newId('secretRequest', now.getTime()),
        workspaceId: target.scope.workspaceId,
        projectId: target.scope.projectId,
        environmentId: target.env?.id ?? '',
        key: input.key,
        description: input.description ?? null,
        tokenHash: hashToken(pepper, token),
        // The token, not the member: fulfilment acts with exactly this token's rights, and
        // revoking it kills its pending links.
        createdBy: ctx.actor.tokenId,
        expiresAt: new Date(now.getTime() + ttlMsOf(input.ttl)).toISOString(),
        createdAt: now.toISOString(),
      })
      await appendAudit(
        tx,
        ctx,
        {
          workspaceId: created.workspaceId,
          action: 'secret_request.create',
          projectId: created.projectId,
          environmentId: created.environmentId,
          keys: [created.key],
          detail: { secretRequestId: created.id, expiresAt: created.expiresAt },
        },
        now,
      )
      return created
    })
    return { request: view(target, row), token }
  }

  /** One request of the environment; NOT_FOUND when it belongs elsewhere. */
  async function get(target: Target, id: string): Promise<SecretRequestView> {
    const row = await store.secretRequests.get(target.scope.workspaceId, id)
    if (row === undefined || row.environmentId !== target.scope.environmentId)
      throw new AppError('NOT_FOUND', `secret request ${id} not found`)
    return view(target, row)
  }

  /** The environment's requests, newest first. */
  async function list(target: Target): Promise<SecretRequestView[]> {
    const rows = await store.secretRequests.list(target.scope.workspaceId, {
      environmentId: target.scope.environmentId ?? '',
    })
    return rows.map((r) => view(target, r))
  }

  return { create, get, list, ...createLinkUse(deps) }
}

export type SecretRequestService = ReturnType<typeof createSecretRequestService>
