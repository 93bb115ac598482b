import { randomUUID } from 'node:crypto'
import { AppError } from '../../core/errors.ts'
import { newId } from '../../core/ids.ts'
import { sealValue, type DataKey } from '../../crypto/index.ts'
import type { ReleaseRow, SealedRevision, StoreTx } from '../../storage/store.ts'
import type { RequestContext } from '../context.ts'
import { aadOf } from '../documents/document-service.ts'
import { emptyState, type DocState } from '../documents/document-state.ts'
import type { Target } from '../projects/targets.ts'
import { systemVarsOf, withAddonVars } from '../variables/var-rules.ts'
import { recordRelease, requireEnv, resolveOrExplain, type ReleaseHooks } from './release-tx.ts'

export interface RollbackTxInput {
  target: Target
  ctx: RequestContext
  /** The project's shared document as read before the transaction (its key is then cached). */
  shared: DocState
  /** Opens a revision with an already unwrapped key (else throws `KeyNotReady`). */
  openCached: (row: SealedRevision) => Promise<DocState>
  /** The data key the release is sealed under. */
  key: DataKey
  message: string
  hooks: ReleaseHooks | undefined
  now: Date
}

/**
 * The release half of a rollback, run inside the transaction that wrote the rolled-back
 * revision (`state`): the required keys and the shared document are read again under it, so a
 * change made since the request began fails the whole rollback instead of leaving a revision
 * without its release.
 */
export async function releaseRollbackInTx(
  tx: StoreTx,
  state: DocState,
  input: RollbackTxInput,
): Promise<ReleaseRow> {
  const { ctx, now } = input
  const env = requireEnv(input.target)
  const project = await tx.projects.get(env.workspaceId, env.projectId)
  const fresh = await tx.environments.get(env.workspaceId, env.id)
  if (project === undefined || fresh === undefined)
    throw new AppError('NOT_FOUND', `environment ${env.slug} was deleted meanwhile`)
  const target: Target = { project, env: fresh, scope: input.target.scope }
  const shared = await sharedIn(tx, input)
  const id = newId('release', now.getTime())
  const deployId = randomUUID()
  const system = systemVarsOf(target, deployId)
  const resolved = resolveOrExplain(target, state, shared, withAddonVars(system, state))
  const sealed = sealValue(input.key, JSON.stringify(resolved), aadOf(target.scope, id))
  const draft = {
    id,
    deployId,
    system,
    keys: resolved.map(([k]) => k),
    envRevision: state.revision,
    projectRevision: shared.revision,
    sealed,
    keyId: input.key.keyId,
    message: input.message,
  }
  return recordRelease(tx, { target, ctx, draft, now }, input.hooks)
}

// The shared document's head as of this transaction: the copy read before it when still
// current (no second decrypt), else the newer head.
async function sharedIn(tx: StoreTx, input: RollbackTxInput): Promise<DocState> {
  const scope = { ...input.target.scope, environmentId: null }
  const head = await tx.revisions.latestSealed(scope)
  if (head === undefined) return emptyState(scope)
  if (head.number === input.shared.revision) return input.shared
  return input.openCached(head)
}
