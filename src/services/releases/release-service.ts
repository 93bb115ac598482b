import { randomUUID } from 'node:crypto'
import { setTimeout as sleep } from 'node:timers/promises'
import { assertCan, decideDeployedSecrets } from '../../core/actor.ts'
import { AppError, isAppError } from '../../core/errors.ts'
import type { EventBus } from '../../core/events.ts'
import { newId } from '../../core/ids.ts'
import { openValue, sealValue, type Keyring } from '../../crypto/index.ts'
import type { ReleaseMeta, ReleaseRow, SealedRevision, Store } from '../../storage/store.ts'
import { appendAudit } from '../audit/audit-service.ts'
import type { Clock, RequestContext } from '../context.ts'
import { KeyNotReady } from '../documents/commit-tx.ts'
import { aadOf, type DocumentService } from '../documents/document-service.ts'
import type { Target } from '../projects/targets.ts'
import { assertNotAgent } from '../variables/agent-rules.ts'
import { changedKeys, systemVarsOf, withAddonVars } from '../variables/var-rules.ts'
import {
  recordRelease,
  requireEnv,
  resolveOrExplain,
  type ReleaseHooks,
  type ResolvedEnv,
} from './release-tx.ts'
import { releaseRollbackInTx } from './rollback-tx.ts'

export type { ReleaseHooks, ResolvedEnv } from './release-tx.ts'

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

/**
 * Releases: immutable snapshots of an environment's document, its project's shared document and
 * the system variables, fully resolved and sealed. Creating one fails, naming every missing
 * reference, cycle and required key, before anything is recorded as deployed.
 */
export function createReleaseService(deps: ReleaseDeps) {
  const { store, documents, keyring, clock } = deps

  /** Reads both documents, resolves and seals the release: no decrypt under the lock. */
  async function draftOf(target: Target, message?: string) {
    const env = requireEnv(target)
    const envState = await documents.read(target.scope)
    const shared = await documents.read({ ...target.scope, environmentId: null })
    const releaseId = newId('release', clock.now().getTime())
    const deployId = randomUUID()
    const system = systemVarsOf(target, deployId)
    const resolved = resolveOrExplain(target, envState, shared, withAddonVars(system, envState))
    const key = await keyring.currentKey(env.workspaceId)
    const sealed = sealValue(key, JSON.stringify(resolved), { ...aadOf(target.scope, releaseId) })
    return {
      id: releaseId,
      deployId,
      system,
      keys: resolved.map(([k]) => k),
      envRevision: envState.revision,
      projectRevision: shared.revision,
      sealed,
      keyId: key.keyId,
      message,
    }
  }

  async function create(target: Target, ctx: RequestContext, message?: string) {
    assertDeploy(target, ctx)
    for (let attempt = 0; ; attempt++) {
      const draft = await draftOf(target, message)
      try {
        const row = await store.transaction((tx) =>
          recordRelease(tx, { target, ctx, draft, now: clock.now() }, deps.hooks),
        )
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
    const access = {
      workspaceId: env.workspaceId,
      projectId: env.projectId,
      environmentId: env.id,
      environmentSlug: env.slug,
    }
    assertCan(ctx.actor, 'deploy', access)
    if (decideDeployedSecrets(ctx.actor, access) !== 'allow')
      throw new AppError(
        'FORBIDDEN',
        `a release's environment holds the secret values of ${env.slug}: a developer reads it only with the member grant to reveal production secrets (revealProduction, given by an owner or admin)`,
      )
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
   * Makes a new revision equal to release `ref`'s environment document (values and kinds) and
   * releases it, in one transaction: a rollback that cannot be released changes nothing. The
   * project's shared document is not rolled back: it belongs to every environment.
   */
  async function rollback(target: Target, ctx: RequestContext, ref: string) {
    const env = assertDeploy(target, ctx)
    const release = await find(target, ref)
    const old = await documents.readAt(target.scope, release.envRevision)
    const kinds = new Map([...old.meta].map(([k, m]) => [k, m.kind]))
    // Read outside the transaction so that their keys are unwrapped before it (no KMS call
    // under the lock); the transaction reads the shared head and the required keys again.
    const shared = await documents.read({ ...target.scope, environmentId: null })
    const key = await keyring.currentKey(env.workspaceId)
    const message = `rollback to release ${release.number}`
    const openCached = async (row: SealedRevision) => {
      if (keyring.cachedKey(row.workspaceId, row.keyId) === undefined)
        throw new KeyNotReady(row.keyId, false)
      return documents.open(row)
    }
    let row: ReleaseRow | undefined
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
      {
        message,
        inTransaction: async (tx, state) => {
          const input = { target, ctx, shared, openCached, key, message, now: clock.now() }
          row = await releaseRollbackInTx(tx, state, { ...input, hooks: deps.hooks })
        },
      },
    )
    if (row === undefined) throw new Error('the rollback committed without its release')
    await announce(row)
    deps.hooks?.afterCommit(row)
    return row
  }

  function assertDeploy(target: Target, ctx: RequestContext) {
    const env = requireEnv(target)
    assertCan(ctx.actor, 'deploy', {
      workspaceId: env.workspaceId,
      projectId: env.projectId,
      environmentId: env.id,
    })
    return env
  }

  return { create, resolvedEnv, find, list, rollback }
}

export type ReleaseService = ReturnType<typeof createReleaseService>
