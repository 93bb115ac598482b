import { randomUUID } from 'node:crypto'
import { setTimeout as sleep } from 'node:timers/promises'
import { assertCan } from '../../core/actor.ts'
import { AppError, isAppError, type ErrorDetail } from '../../core/errors.ts'
import type { EventBus } from '../../core/events.ts'
import { newId } from '../../core/ids.ts'
import { resolveReferences } from '../../core/references/index.ts'
import { openValue, sealValue, type Keyring } from '../../crypto/index.ts'
import type { ReleaseMeta, ReleaseRow, Store, StoreTx } from '../../storage/store.ts'
import { appendAudit } from '../audit/audit-service.ts'
import type { Clock, RequestContext } from '../context.ts'
import { aadOf, type DocumentService } from '../documents/document-service.ts'
import type { DocState } from '../documents/document-state.ts'
import type { Target } from '../projects/targets.ts'
import { assertNotAgent } from '../variables/agent-rules.ts'
import { changedKeys, systemVarsOf } from '../variables/var-rules.ts'

// The environment is read and the release sealed outside the transaction (no decrypt under the
// lock); a newer release committed in between is a CONFLICT, retried this many times in all.
const MAX_ATTEMPTS = 10

export interface ReleaseDeps {
  store: Store
  documents: DocumentService
  keyring: Keyring
  clock: Clock
  events?: EventBus
  hooks?: ReleaseHooks
}

/** Side effects of a new release (webhook deliveries): one commits with it, one follows. */
export interface ReleaseHooks {
  /** Inside the release's transaction: what it writes commits or rolls back with the release. */
  inTransaction(tx: StoreTx, release: ReleaseRow, previous: ReleaseRow | undefined): Promise<void>
  /** After the commit. */
  afterCommit(release: ReleaseRow): void
}

/** The resolved environment of a release, in order, as the app gets it. */
export type ResolvedEnv = Array<[string, string]>

/**
 * Releases: immutable snapshots of an environment's document, its project's shared document and
 * the system variables, fully resolved and sealed. Creating one fails, naming every missing
 * reference, cycle and required key, before anything is recorded as deployed.
 */
export function createReleaseService(deps: ReleaseDeps) {
  const { store, documents, keyring, clock } = deps

  async function create(target: Target, ctx: RequestContext, message?: string) {
    const env = requireEnv(target)
    assertCan(ctx.actor, 'deploy', {
      workspaceId: env.workspaceId,
      projectId: env.projectId,
      environmentId: env.id,
    })
    for (let attempt = 0; ; attempt++) {
      const envState = await documents.read(target.scope)
      const shared = await documents.read({ ...target.scope, environmentId: null })
      const releaseId = newId('release', clock.now().getTime())
      const deployId = randomUUID()
      const system = systemVarsOf(target, deployId)
      const resolved = resolveOrExplain(target, envState, shared, system)
      const key = await keyring.currentKey(env.workspaceId)
      const sealed = sealValue(key, JSON.stringify(resolved), { ...aadOf(target.scope, releaseId) })
      try {
        const row = await store.transaction(async (tx) => {
          const locked = await tx.environments.lockForUpdate(env.workspaceId, env.id)
          const previous = await tx.releases.latest(env.workspaceId, env.id)
          // A write landing after the read is fine: this release is of the state read (which
          // holds every write acknowledged before the request) and the environment stays
          // "redeploy required". Requiring the heads unchanged starved deploys of an environment
          // under steady writes. Only a release of an older state than the last one is refused.
          if (
            previous !== undefined &&
            (previous.envRevision > envState.revision || previous.projectRevision > shared.revision)
          ) {
            throw new AppError('CONFLICT', 'a release of a newer state was made meanwhile')
          }
          const now = clock.now()
          const created = await tx.releases.create({
            id: releaseId,
            workspaceId: env.workspaceId,
            projectId: env.projectId,
            environmentId: env.id,
            number: (previous?.number ?? 0) + 1,
            envRevision: envState.revision,
            projectRevision: shared.revision,
            systemVars: Object.fromEntries(system),
            deployId,
            authorId: ctx.actor.id,
            status: 'active',
            sealed,
            keyId: key.keyId,
            createdAt: now.toISOString(),
          })
          if (locked.currentReleaseId !== null)
            await tx.releases.setStatus(env.workspaceId, locked.currentReleaseId, 'superseded')
          await tx.environments.setCurrentRelease(env.workspaceId, env.id, created.id)
          await deps.hooks?.inTransaction(tx, created, previous)
          await appendAudit(
            tx,
            ctx,
            {
              workspaceId: env.workspaceId,
              projectId: env.projectId,
              environmentId: env.id,
              action: 'release.create',
              keys: resolved.map(([k]) => k),
              detail: {
                releaseId: created.id,
                number: created.number,
                revision: envState.revision,
                projectRevision: shared.revision,
                ...(message === undefined ? {} : { message }),
              },
            },
            now,
          )
          return created
        })
        await announce(row)
        deps.hooks?.afterCommit(row)
        return row
      } catch (err) {
        if (!isAppError(err, 'CONFLICT') || attempt >= MAX_ATTEMPTS - 1) throw err
        // Writes keep landing on a busy environment: back off by a random, growing delay so
        // the release gets a quiet window instead of meeting the same writers again.
        await sleep(Math.random() * 20 * (attempt + 1))
      }
    }
  }

  async function announce(row: ReleaseRow) {
    await deps.events?.publish(row.workspaceId, {
      type: 'release.created',
      projectId: row.projectId,
      environmentId: row.environmentId,
      at: row.createdAt,
      data: {
        releaseId: row.id,
        number: row.number,
        revision: row.envRevision,
        deployId: row.deployId,
      },
    })
  }

  /** A release's resolved environment, for deploy tokens only (secrets leave Tresor here). */
  async function resolvedEnv(
    target: Target,
    ctx: RequestContext,
    ref: string,
  ): Promise<{ release: ReleaseMeta; env: ResolvedEnv }> {
    assertNotAgent(ctx, 'read a release environment')
    const env = requireEnv(target)
    assertCan(ctx.actor, 'deploy', {
      workspaceId: env.workspaceId,
      projectId: env.projectId,
      environmentId: env.id,
    })
    const row = await find(target, ref)
    if (row.sealed === null || row.keyId === null)
      throw new AppError('NOT_FOUND', `release ${ref} has no snapshot`)
    const key = await keyring.keyFor(env.workspaceId, row.keyId)
    const plain = openValue(key, row.sealed, aadOf(target.scope, row.id))
    const { sealed: _s, ...meta } = row
    await store.transaction((tx) =>
      appendAudit(
        tx,
        ctx,
        {
          workspaceId: env.workspaceId,
          projectId: env.projectId,
          environmentId: env.id,
          action: 'release.env.read',
          detail: { releaseId: row.id, number: row.number },
        },
        clock.now(),
      ),
    )
    return { release: meta, env: JSON.parse(plain.toString('utf8')) as ResolvedEnv }
  }

  /** A release by id, by number, or `latest`; NOT_FOUND outside this environment. */
  async function find(target: Target, ref: string): Promise<ReleaseRow> {
    const env = requireEnv(target)
    const row =
      ref === 'latest'
        ? env.currentReleaseId === null
          ? undefined
          : await store.releases.get(env.workspaceId, env.currentReleaseId)
        : /^\d+$/.test(ref)
          ? await store.releases.getByNumber(env.workspaceId, env.id, Number(ref))
          : await store.releases.get(env.workspaceId, ref)
    if (row === undefined || row.environmentId !== env.id)
      throw new AppError('NOT_FOUND', `release ${ref} not found`)
    return row
  }

  async function list(target: Target, limit = 100) {
    const env = requireEnv(target)
    return store.releases.list(env.workspaceId, env.id, { limit })
  }

  /**
   * Makes a new revision equal to release `ref`'s environment document (values and kinds), then
   * releases it. The project's shared document is not rolled back: it belongs to every
   * environment.
   */
  async function rollback(target: Target, ctx: RequestContext, ref: string) {
    const release = await find(target, ref)
    const old = await documents.readAt(target.scope, release.envRevision)
    const kinds = new Map([...old.meta].map(([k, m]) => [k, m.kind]))
    // Check first that the old document can still be released (the shared variables and the
    // required keys may have changed since): a rollback that cannot deploy changes nothing.
    const shared = await documents.read({ ...target.scope, environmentId: null })
    resolveOrExplain(target, old, shared, systemVarsOf(target, 'rollback-check'))
    await documents.commit(
      target.scope,
      ctx,
      (state) => ({
        doc: old.doc,
        kinds,
        changedKeys: changedKeys(state, old.doc, kinds),
        audit: {
          action: 'release.rollback',
          keys: [...old.values.keys()],
          detail: { toRelease: release.number, toRevision: release.envRevision },
        },
        result: undefined,
      }),
      { message: `rollback to release ${release.number}` },
    )
    return create(target, ctx, `rollback to release ${release.number}`)
  }

  return { create, resolvedEnv, find, list, rollback }
}

export type ReleaseService = ReturnType<typeof createReleaseService>

function requireEnv(target: Target) {
  if (target.env === null) throw new AppError('BAD_REQUEST', 'releases belong to environments')
  return target.env
}

/**
 * Resolves references and checks required keys; every problem is reported in one error.
 */
function resolveOrExplain(
  target: Target,
  envState: DocState,
  shared: DocState,
  system: Map<string, string>,
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
