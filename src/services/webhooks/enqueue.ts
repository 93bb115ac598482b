import { newId } from '../../core/ids.ts'
import type { DocumentScope, ReleaseRow, StoreReads, StoreTx } from '../../storage/store.ts'

/** The event every delivery carries today. */
export const RELEASE_CREATED = 'release.created'

/** The JSON body of a `release.created` delivery: names and numbers only, never a value. */
export interface ReleaseWebhookPayload {
  type: typeof RELEASE_CREATED
  /** The delivery id (also in the `Tresor-Delivery` header): receivers de-duplicate on it. */
  id: string
  release: { id: string; number: number; revision: number }
  environment: { id: string; slug: string }
  project: { id: string; slug: string }
  /** Keys changed since the previous release: environment keys, then `project.KEY` names. */
  changedKeys: string[]
  deployId: string
  createdAt: string
}

/**
 * Enqueues one pending delivery of `release` per webhook of its project that covers its
 * environment. Runs inside the release's transaction: a release never commits without them.
 */
export async function enqueueReleaseDeliveries(
  tx: StoreTx,
  release: ReleaseRow,
  previous: ReleaseRow | undefined,
): Promise<number> {
  const ws = release.workspaceId
  const hooks = (await tx.webhooks.list(ws, release.projectId)).filter(
    (h) => h.environmentIds === null || h.environmentIds.includes(release.environmentId),
  )
  if (hooks.length === 0) return 0
  const env = await tx.environments.get(ws, release.environmentId)
  const project = await tx.projects.get(ws, release.projectId)
  const changedKeys = await changedBetween(tx, release, previous)
  const at = Date.parse(release.createdAt)
  for (const hook of hooks) {
    const id = newId('webhookDelivery', at)
    const payload: ReleaseWebhookPayload = {
      type: RELEASE_CREATED,
      id,
      release: { id: release.id, number: release.number, revision: release.envRevision },
      environment: { id: release.environmentId, slug: env?.slug ?? '' },
      project: { id: release.projectId, slug: project?.slug ?? '' },
      changedKeys,
      deployId: release.deployId,
      createdAt: release.createdAt,
    }
    await tx.webhookDeliveries.create({
      id,
      workspaceId: ws,
      projectId: release.projectId,
      webhookId: hook.id,
      releaseId: release.id,
      environmentId: release.environmentId,
      event: RELEASE_CREATED,
      payload: JSON.stringify(payload),
      status: 'pending',
      attempts: 0,
      nextAttemptAt: release.createdAt,
      lastAttemptAt: null,
      lastStatusCode: null,
      lastError: null,
      deliveredAt: null,
      createdAt: release.createdAt,
    })
  }
  return hooks.length
}

/** Key names changed by the revisions a release includes and its predecessor did not. */
async function changedBetween(
  reads: Pick<StoreReads, 'revisions'>,
  release: ReleaseRow,
  previous: ReleaseRow | undefined,
): Promise<string[]> {
  const ws = release.workspaceId
  const envScope = { workspaceId: ws, projectId: release.projectId }
  const own = await keysChanged(
    reads,
    { ...envScope, environmentId: release.environmentId },
    previous?.envRevision ?? 0,
    release.envRevision,
  )
  const shared = await keysChanged(
    reads,
    { ...envScope, environmentId: null },
    previous?.projectRevision ?? 0,
    release.projectRevision,
  )
  return [...new Set([...own, ...shared.map((k) => `project.${k}`)])]
}

/** Keys named by revisions `from + 1 … to` of one document, oldest change first. */
async function keysChanged(
  reads: Pick<StoreReads, 'revisions'>,
  scope: DocumentScope,
  from: number,
  to: number,
): Promise<string[]> {
  const keys: string[] = []
  let beforeNumber = to + 1
  while (beforeNumber > from + 1) {
    const page = await reads.revisions.list(scope, { limit: 500, beforeNumber })
    for (const rev of page) if (rev.number > from) keys.unshift(...rev.changedKeys)
    const last = page.at(-1)
    if (last === undefined || page.length < 500) break
    beforeNumber = last.number
  }
  return [...new Set(keys)]
}
