import { rewrapAll, type KeyProvider, type WrappedKeyRecord } from '../../crypto/index.ts'
import type { DataKeyRow, Store } from '../../storage/store.ts'
import { appendAudit } from '../audit/audit-service.ts'
import type { Clock, RequestContext } from '../context.ts'
import { SERVER_SECRET_CONTEXTS } from '../workspaces/pepper.ts'

/** What a root-key rotation did. Ids and fingerprints only, never key material. */
export interface RootRotationReport {
  /** Fingerprint of the root key everything is now wrapped by. */
  rootKeyId: string
  /** Data keys re-wrapped by this run. */
  dataKeys: number
  /** Server secrets (the token pepper) re-wrapped by this run. */
  serverSecrets: number
  /** Keys and secrets that were already under the current root key (a re-run skips them). */
  alreadyCurrent: number
  /** Wrapped by a root key that is not configured: unreadable until that key is given. */
  unreadable: { id: string; rootKeyId: string }[]
}

export interface RootRotationDeps {
  store: Store
  /** The current root key plus every previous one (createMultiKeyProvider). */
  provider: KeyProvider
  clock: Clock
  /** Keys re-wrapped per transaction (default 100). */
  batchSize?: number
}

/**
 * Re-wraps every data key and server secret under the provider's current root key, in batches:
 * each new wrap is unwrapped and compared before its batch commits, and what is already under
 * the current key is skipped, so an interrupted run is finished by running it again. Each
 * workspace whose keys moved gets an audit event in the batch's transaction.
 */
export async function rotateRoot(
  deps: RootRotationDeps,
  ctx?: RequestContext,
): Promise<RootRotationReport> {
  const { provider } = deps
  const report: RootRotationReport = {
    rootKeyId: provider.id,
    dataKeys: 0,
    serverSecrets: 0,
    alreadyCurrent: 0,
    unreadable: [],
  }
  report.serverSecrets = await rewrapServerSecrets(deps, report)
  let auditedCaller = false
  for (const ws of await deps.store.workspaces.list()) {
    const moved = await rewrapWorkspace(deps, ws.id, report, ctx)
    report.dataKeys += moved
    if (moved > 0 && ws.id === ctx?.actor.workspaceId) auditedCaller = true
  }
  // The caller's workspace records the request even when it had nothing to move.
  if (ctx !== undefined && !auditedCaller) {
    await deps.store.transaction((tx) =>
      appendAudit(tx, ctx, rotationEvent(ctx.actor.workspaceId, report, 0), deps.clock.now()),
    )
  }
  return report
}

function rotationEvent(workspaceId: string, report: RootRotationReport, dataKeys: number) {
  return {
    workspaceId,
    action: 'keys.rotate_root',
    detail: { rootKeyId: report.rootKeyId, dataKeys, serverSecrets: report.serverSecrets },
  }
}

/** Splits rows into those to re-wrap and counts/reports the rest. */
function pending<T extends { rootKeyId: string }>(
  rows: readonly T[],
  provider: KeyProvider,
  report: RootRotationReport,
  idOf: (row: T) => string,
): T[] {
  const out: T[] = []
  for (const row of rows) {
    if (row.rootKeyId === provider.id) report.alreadyCurrent++
    else if (provider.ids.includes(row.rootKeyId)) out.push(row)
    else report.unreadable.push({ id: idOf(row), rootKeyId: row.rootKeyId })
  }
  return out
}

async function rewrapServerSecrets(deps: RootRotationDeps, report: RootRotationReport) {
  const known = (await deps.store.serverSecrets.list()).flatMap((row) => {
    const context = SERVER_SECRET_CONTEXTS[row.name]
    return context === undefined ? [] : [{ ...row, ...context }]
  })
  const todo = pending(known, deps.provider, report, (r) => r.name)
  const out = await rewrapAll(todo, deps.provider, deps.provider)
  const changed = out.filter((r) => r.changed)
  if (changed.length > 0) {
    await deps.store.transaction(async (tx) => {
      for (const r of changed) await tx.serverSecrets.rewrap(r.name, r.wrapped, deps.provider.id)
    })
  }
  return changed.length
}

async function rewrapWorkspace(
  deps: RootRotationDeps,
  workspaceId: string,
  report: RootRotationReport,
  ctx: RequestContext | undefined,
): Promise<number> {
  const todo = pending(
    await deps.store.dataKeys.list(workspaceId),
    deps.provider,
    report,
    (r) => r.id,
  )
  const size = Math.max(1, deps.batchSize ?? 100)
  let moved = 0
  for (let i = 0; i < todo.length; i += size) {
    const batch = todo.slice(i, i + size).map(recordOf)
    const out = await rewrapAll(batch, deps.provider, deps.provider)
    const changed = out.filter((r) => r.changed)
    await deps.store.transaction(async (tx) => {
      for (const r of changed) await tx.dataKeys.rewrap(r.keyId, r.wrapped, deps.provider.id)
      const event = rotationEvent(workspaceId, report, changed.length)
      await appendAudit(tx, ctx, event, deps.clock.now())
    })
    moved += changed.length
  }
  return moved
}

function recordOf(row: DataKeyRow): WrappedKeyRecord {
  return { workspaceId: row.workspaceId, keyId: row.id, wrapped: row.wrappedKey }
}
