import { AppError, isAppError, type ErrorDetail } from '../../core/errors.ts'
import { resolveReferences } from '../../core/references/index.ts'
import type { ReleaseRow, StoreTx } from '../../storage/store.ts'
import { appendAudit } from '../audit/audit-service.ts'
import type { RequestContext } from '../context.ts'
import type { DocState } from '../documents/document-state.ts'
import type { Target } from '../projects/targets.ts'

/** The resolved environment of a release, in order, as the app gets it. */
export type ResolvedEnv = Array<[string, string]>

/** Side effects of a new release (webhook deliveries): one commits with it, one follows. */
export interface ReleaseHooks {
  /** Inside the release's transaction: what it writes commits or rolls back with the release. */
  inTransaction(tx: StoreTx, release: ReleaseRow, previous: ReleaseRow | undefined): Promise<void>
  /** After the commit. */
  afterCommit(release: ReleaseRow): void
}

/** A release resolved and sealed, ready to be recorded. */
export interface ReleaseDraft {
  id: string
  deployId: string
  system: ReadonlyMap<string, string>
  /** Key names of the resolved environment (the audit names them, never their values). */
  keys: readonly string[]
  envRevision: number
  projectRevision: number
  sealed: Buffer
  keyId: string
  message?: string | undefined
}

/**
 * Records `draft` as the environment's current release inside `tx`: supersedes the previous
 * one, runs the in-transaction hooks and appends the audit event. A release of an older state
 * than the last one is a CONFLICT.
 */
export async function recordRelease(
  tx: StoreTx,
  input: { target: Target; ctx: RequestContext; draft: ReleaseDraft; now: Date },
  hooks: ReleaseHooks | undefined,
): Promise<ReleaseRow> {
  const { ctx, draft, now } = input
  const env = requireEnv(input.target)
  const locked = await tx.environments.lockForUpdate(env.workspaceId, env.id)
  const previous = await tx.releases.latest(env.workspaceId, env.id)
  // A write landing after the read is fine: this release is of the state read (which holds
  // every write acknowledged before the request) and the environment stays "redeploy
  // required". Requiring the heads unchanged starved deploys of an environment under steady
  // writes. Only a release of an older state than the last one is refused.
  if (
    previous !== undefined &&
    (previous.envRevision > draft.envRevision || previous.projectRevision > draft.projectRevision)
  ) {
    throw new AppError('CONFLICT', 'a release of a newer state was made meanwhile')
  }
  const created = await tx.releases.create({
    id: draft.id,
    workspaceId: env.workspaceId,
    projectId: env.projectId,
    environmentId: env.id,
    number: (previous?.number ?? 0) + 1,
    envRevision: draft.envRevision,
    projectRevision: draft.projectRevision,
    systemVars: Object.fromEntries(draft.system),
    deployId: draft.deployId,
    authorId: ctx.actor.id,
    status: 'active',
    sealed: draft.sealed,
    keyId: draft.keyId,
    createdAt: now.toISOString(),
  })
  if (locked.currentReleaseId !== null)
    await tx.releases.setStatus(env.workspaceId, locked.currentReleaseId, 'superseded')
  await tx.environments.setCurrentRelease(env.workspaceId, env.id, created.id)
  await hooks?.inTransaction(tx, created, previous)
  const { message } = draft
  await appendAudit(
    tx,
    ctx,
    {
      workspaceId: env.workspaceId,
      projectId: env.projectId,
      environmentId: env.id,
      action: 'release.create',
      keys: draft.keys,
      detail: {
        releaseId: created.id,
        number: created.number,
        revision: draft.envRevision,
        projectRevision: draft.projectRevision,
        ...(message === undefined ? {} : { message }),
      },
    },
    now,
  )
  return created
}

export function requireEnv(target: Target) {
  if (target.env === null) throw new AppError('BAD_REQUEST', 'releases belong to environments')
  return target.env
}

/**
 * Resolves references and checks required keys (the project's and the environment's, as
 * `target` holds them); every problem is reported in one REFERENCE_ERROR.
 */
export function resolveOrExplain(
  target: Target,
  envState: DocState,
  shared: DocState,
  system: ReadonlyMap<string, string>,
): ResolvedEnv {
  const problems: ErrorDetail[] = []
  let resolved = new Map<string, string>()
  try {
    resolved = resolveReferences(envState.values, shared.values, system)
  } catch (err) {
    if (!isAppError(err, 'REFERENCE_ERROR')) throw err
    problems.push(...err.errors)
  }
  const required = [
    ...new Set([...target.project.requiredKeys, ...(target.env?.requiredKeys ?? [])]),
  ]
  for (const key of required) {
    if (!envState.values.has(key) && !system.has(key))
      problems.push({
        key,
        message: `${key} is required but not set in ${target.env?.slug ?? 'this environment'}`,
      })
  }
  if (problems.length > 0) {
    throw new AppError(
      'REFERENCE_ERROR',
      `the release cannot be made: ${problems.length} problem(s)`,
      problems,
    )
  }
  return [...resolved]
}
