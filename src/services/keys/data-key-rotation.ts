import { AppError, isAppError } from '../../core/errors.ts'
import {
  createWrappedDataKey,
  formatDataKeyId,
  parseDataKeyId,
  resealBlob,
  type DataKey,
  type KeyProvider,
  type Keyring,
} from '../../crypto/index.ts'
import type { DataKeyRow, SealedRow, Store, StoreReads, StoreTx } from '../../storage/store.ts'
import { appendAudit } from '../audit/audit-service.ts'
import type { Clock, RequestContext } from '../context.ts'
import { aadOf } from '../documents/commit-tx.ts'

export interface DataKeyDeps {
  store: Store
  keyring: Keyring
  provider: KeyProvider
  clock: Clock
  /** Rows re-sealed per transaction (default 100). */
  batchSize?: number
}

/** What re-sealing a workspace did. */
export interface ResealReport {
  workspaceId: string
  /** The key every row is now sealed under. */
  keyId: string
  revisions: number
  releases: number
  /** Webhook signing secrets (sealed under the workspace data key like any value). */
  webhooks: number
  /** SSO sessions' IdP refresh tokens. */
  sessions: number
  /** The SSO client secret (0 or 1). */
  ssoClientSecret: number
  /** Rows still under an older key (0 when done; a writer that missed the rotation can add one). */
  remaining: number
}

/**
 * Makes data key version N+1 the workspace's current key and retires the old one, in one audited
 * transaction; new seals use it at once in this process (other replicas within the keyring's
 * current-key TTL, or at their next write to a document already under it). CONFLICT when a
 * concurrent rotation committed first.
 */
export async function rollDataKey(
  deps: DataKeyDeps,
  workspaceId: string,
  ctx?: RequestContext,
): Promise<{ from: string; to: string }> {
  const keys = await deps.store.dataKeys.list(workspaceId)
  const current = keys.find((k) => k.state === 'current')
  const base = current && parseDataKeyId(current.id)
  if (current === undefined || base === undefined) {
    throw new AppError('NOT_FOUND', `workspace ${workspaceId} has no current data key`)
  }
  const version = Math.max(...keys.map((k) => k.version)) + 1
  const to = formatDataKeyId(base.id, version)
  const { wrapped } = await createWrappedDataKey(deps.provider, workspaceId, to)
  const now = deps.clock.now()
  try {
    await deps.store.transaction(async (tx) => {
      await tx.dataKeys.retire(workspaceId, current.id)
      await tx.dataKeys.create({
        ...{ id: to, workspaceId, version, wrappedKey: wrapped, rootKeyId: deps.provider.id },
        ...{ state: 'current', createdAt: now.toISOString() },
      })
      const detail = { from: current.id, to }
      await appendAudit(tx, ctx, { workspaceId, action: 'keys.rotate_data_key', detail }, now)
    })
  } catch (err) {
    if (!isAppError(err, 'CONFLICT')) throw err
    throw new AppError('CONFLICT', 'another data-key rotation of this workspace committed first')
  }
  deps.keyring.forget(workspaceId)
  return { from: current.id, to }
}

const TABLES = ['revisions', 'releases', 'webhooks', 'sessions', 'authSettings'] as const
type Table = (typeof TABLES)[number]
type Counted = 'revisions' | 'releases' | 'webhooks' | 'sessions' | 'ssoClientSecret'
/** The report's count of each table's re-sealed rows. */
const REPORTED: Record<Table, Counted> = {
  revisions: 'revisions',
  releases: 'releases',
  webhooks: 'webhooks',
  sessions: 'sessions',
  authSettings: 'ssoClientSecret',
}
// Re-sealing repeats until a pass finds nothing: a write that fetched the old key just before
// the roll may land behind the id cursor of the pass that was running.
const MAX_PASSES = 5

/**
 * Re-seals every revision, release snapshot, webhook signing secret, SSO session refresh token
 * and SSO client secret of the workspace that is under an older data key with the current one,
 * in batches (each row opened, re-sealed with the same AAD, verified, then swapped by
 * compare-and-set on its key id). Safe to re-run and to run next to writers.
 */
export async function resealWorkspace(
  deps: DataKeyDeps,
  workspaceId: string,
  ctx?: RequestContext,
): Promise<ResealReport> {
  const keys = await deps.store.dataKeys.list(workspaceId)
  const current = keys.find((k) => k.state === 'current')
  if (current === undefined) {
    throw new AppError('NOT_FOUND', `workspace ${workspaceId} has no current data key`)
  }
  const toKey = await deps.keyring.keyFor(workspaceId, current.id)
  const old = keys.filter((k) => k.id !== current.id)
  const report = {
    ...{ workspaceId, keyId: current.id },
    ...{ revisions: 0, releases: 0, webhooks: 0, sessions: 0, ssoClientSecret: 0, remaining: 0 },
  }
  for (let pass = 0; pass < MAX_PASSES; pass++) {
    let moved = 0
    for (const key of old) {
      const fromKey = await deps.keyring.keyFor(workspaceId, key.id)
      for (const table of TABLES) {
        const n = await resealTable(deps, table, workspaceId, fromKey, toKey)
        report[REPORTED[table]] += n
        moved += n
      }
    }
    if (moved === 0) break
  }
  report.remaining = await countUnder(deps.store, workspaceId, old)
  const detail = { ...report }
  await deps.store.transaction((tx) =>
    appendAudit(tx, ctx, { workspaceId, action: 'keys.reseal', detail }, deps.clock.now()),
  )
  return report
}

async function resealTable(
  deps: DataKeyDeps,
  table: Table,
  workspaceId: string,
  fromKey: DataKey,
  toKey: DataKey,
): Promise<number> {
  const limit = Math.max(1, deps.batchSize ?? 100)
  let moved = 0
  let afterId: string | undefined
  for (;;) {
    const page = { limit, ...(afterId === undefined ? {} : { afterId }) }
    const rows = await deps.store[table].listSealedByKey(workspaceId, fromKey.keyId, page)
    if (rows.length === 0) return moved
    // Slow work (decrypt, encrypt, verify) before the transaction; the swap is a compare-and-set.
    const blobs = rows.map((r) => resealBlob(r.sealed, aadOf(r, r.id), fromKey, toKey))
    moved += await deps.store.transaction((tx) => swapAll(tx, table, rows, blobs, toKey.keyId))
    afterId = rows[rows.length - 1]?.id
  }
}

async function swapAll(
  tx: StoreTx,
  table: Table,
  rows: readonly SealedRow[],
  blobs: readonly Buffer[],
  toKeyId: string,
): Promise<number> {
  let n = 0
  for (const [i, row] of rows.entries()) {
    const blob = blobs[i]
    if (blob === undefined) continue
    if (await tx[table].reseal(row.workspaceId, row.id, row.keyId, blob, toKeyId)) n++
  }
  return n
}

/** Rows of the workspace still sealed under any of `keys`. */
export async function countUnder(
  reads: Pick<StoreReads, Table>,
  workspaceId: string,
  keys: readonly Pick<DataKeyRow, 'id'>[],
): Promise<number> {
  let n = 0
  for (const key of keys) {
    for (const table of TABLES) n += await reads[table].countByKey(workspaceId, key.id)
  }
  return n
}
