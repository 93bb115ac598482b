import { AppError } from '../../core/errors.ts'
import type { EventBus } from '../../core/events.ts'
import { openValue, type Keyring } from '../../crypto/index.ts'
import type { DocumentScope, SealedRevision, Store, StoreTx } from '../../storage/store.ts'
import type { Clock, RequestContext } from '../context.ts'
import {
  aadOf,
  commitInTx,
  KeyNotReady,
  type CommitOptions,
  type Proposal,
  type TxOutput,
} from './commit-tx.ts'
import { emptyState, stateFromRevision, type DocState } from './document-state.ts'
import { createHeadCache } from './head-cache.ts'

export { aadOf, type CommitOptions, type Proposal } from './commit-tx.ts'

export interface Committed<T> {
  state: DocState
  /** False when the proposal changed nothing. */
  changed: boolean
  result: T
}

export interface DocumentDeps {
  store: Store
  keyring: Keyring
  clock: Clock
  events?: EventBus
  /** Told of every new revision's workspace after commit (the nonce budget's seal counter). */
  onSealed?: (workspaceId: string) => void
  /** Memory for the opened heads of recently written documents (default 16 MiB; 0: none). */
  headCacheBytes?: number
}

/** Commit options, plus work that must commit or roll back with the revision. */
export interface DocumentCommitOptions extends CommitOptions {
  /**
   * Runs inside the commit's transaction after the revision (or the unchanged head) and its
   * audit row: what it writes commits with them, and throwing undoes them. It may throw
   * `KeyNotReady` to have a key unwrapped outside the transaction and be run again.
   */
  inTransaction?: (tx: StoreTx, state: DocState) => Promise<void>
}

// A commit retries only to fetch a key outside the transaction; more than this is a bug.
const MAX_KEY_RETRIES = 3

/**
 * Reads and writes documents: every write is one revision sealed as one ciphertext, appended
 * with its audit event in one transaction, serialised per document so no write is lost.
 */
export function createDocumentService(deps: DocumentDeps) {
  const { store, keyring, clock } = deps
  const heads = createHeadCache(deps.headCacheBytes)

  /** Opens a revision row into its state (one AES-GCM open, one parse). */
  async function open(row: SealedRevision): Promise<DocState> {
    const key =
      keyring.cachedKey(row.workspaceId, row.keyId) ??
      (await keyring.keyFor(row.workspaceId, row.keyId))
    const plain = openValue(key, row.sealed, aadOf(row, row.id))
    try {
      return stateFromRevision(row, plain)
    } finally {
      plain.fill(0)
    }
  }

  /** The latest state of a document (one row, one decrypt). */
  async function read(scope: DocumentScope): Promise<DocState> {
    const row = await store.revisions.latestSealed(scope)
    return row === undefined ? emptyState(scope) : open(row)
  }

  /** The state as of revision `number`; NOT_FOUND when there is none. */
  async function readAt(scope: DocumentScope, number: number): Promise<DocState> {
    if (number === 0) return emptyState(scope)
    const row = await store.revisions.get(scope, number)
    if (row === undefined) throw new AppError('NOT_FOUND', `revision ${number} not found`)
    return open(row)
  }

  /** Applies `plan` to the latest state and commits the result as the next revision. */
  async function commit<T>(
    scope: DocumentScope,
    ctx: RequestContext,
    plan: (state: DocState) => Proposal<T>,
    opts: DocumentCommitOptions = {},
  ): Promise<Committed<T>> {
    const ws = scope.workspaceId
    for (let attempt = 0; ; attempt++) {
      const current = await keyring.currentKey(ws)
      let out: TxOutput<T>
      try {
        out = await store.transaction(async (tx) => {
          const done = await commitInTx(tx, {
            scope,
            ctx,
            plan,
            opts,
            current,
            now: clock.now(),
            keyFor(keyId) {
              return keyring.cachedKey(ws, keyId)
            },
            cached: heads.peek(scope),
          })
          await opts.inTransaction?.(tx, done.state)
          return done
        })
      } catch (err) {
        if (!(err instanceof KeyNotReady) || attempt >= MAX_KEY_RETRIES) throw err
        if (err.staleCurrent) keyring.forget(ws)
        await keyring.keyFor(ws, err.keyId)
        continue
      }
      heads.set(out.state)
      if (out.changed) {
        deps.onSealed?.(ws)
        await announce(scope, out.state, out.changedKeys)
      }
      return { state: out.state, changed: out.changed, result: out.result }
    }
  }

  async function announce(scope: DocumentScope, state: DocState, changedKeys: readonly string[]) {
    await deps.events?.publish(scope.workspaceId, {
      type: 'variables.changed',
      projectId: scope.projectId,
      ...(scope.environmentId === null ? {} : { environmentId: scope.environmentId }),
      at: state.updatedAt ?? clock.now().toISOString(),
      data: {
        revision: state.revision,
        keys: [...changedKeys],
        shared: scope.environmentId === null,
      },
    })
  }

  return { read, readAt, commit, open }
}

export type DocumentService = ReturnType<typeof createDocumentService>
