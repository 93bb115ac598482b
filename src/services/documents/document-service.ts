import type { EnvDocument } from '../../core/dotenv/index.ts'
import { entriesOf, serializeDocument } from '../../core/dotenv/index.ts'
import { AppError } from '../../core/errors.ts'
import type { EventBus } from '../../core/events.ts'
import { newId } from '../../core/ids.ts'
import {
  openValue,
  sealValue,
  SHARED_ENVIRONMENT,
  type Aad,
  type DataKey,
  type Keyring,
} from '../../crypto/index.ts'
import type {
  DocumentScope,
  JsonValue,
  KeyKind,
  RevisionRow,
  Store,
  StoreTx,
} from '../../storage/store.ts'
import { appendAudit } from '../audit/audit-service.ts'
import type { Clock, RequestContext } from '../context.ts'
import {
  buildKeyIndex,
  emptyState,
  stateFromRevision,
  type DocState,
  type KeyMeta,
} from './document-state.ts'

/** What a write wants to become, computed from the current state inside the transaction. */
export interface Proposal<T> {
  /** The new document, or undefined when the write changes nothing (no revision is made). */
  doc: EnvDocument | undefined
  /** Kinds of keys this write sets (others keep theirs; new keys default to config). */
  kinds?: ReadonlyMap<string, KeyKind>
  /** Names whose value or kind changed, were added or were removed. */
  changedKeys: readonly string[]
  audit: { action: string; keys: readonly string[]; detail?: { [k: string]: JsonValue } }
  result: T
}

export interface CommitOptions {
  /** The revision the caller read (If-Match); a different head is PRECONDITION_FAILED. */
  baseRevision?: number
  message?: string
}

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
}

/** The AAD of a revision: its workspace, project, environment (or the shared marker) and id. */
export function aadOf(scope: DocumentScope, revisionId: string): Aad {
  return {
    workspaceId: scope.workspaceId,
    projectId: scope.projectId,
    environmentId: scope.environmentId ?? SHARED_ENVIRONMENT,
    revisionId,
  }
}

/** Thrown inside a transaction when a key it needs is not unwrapped yet; the commit retries. */
class KeyNotWarm extends Error {
  constructor(readonly keyId: string) {
    super('data key not loaded')
  }
}

/**
 * Reads and writes documents: every write is one revision sealed as one ciphertext, appended
 * with its audit event in one transaction, serialised per document so no write is lost.
 */
export function createDocumentService(deps: DocumentDeps) {
  const { store, keyring, clock } = deps

  async function open(row: RevisionRow): Promise<DocState> {
    const key = await keyring.keyFor(row.workspaceId, row.keyId)
    return stateFromRevision(row, openValue(key, row.sealed, aadOf(row, row.id)))
  }

  /** The latest state of a document (one row, one decrypt). */
  async function read(scope: DocumentScope): Promise<DocState> {
    const row = await store.revisions.latest(scope)
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
    opts: CommitOptions = {},
  ): Promise<Committed<T>> {
    const keys = new Map<string, DataKey>()
    const current = await keyring.currentKey(scope.workspaceId)
    keys.set(current.keyId, current)
    const head = await store.revisions.latest(scope)
    if (head) keys.set(head.keyId, await keyring.keyFor(scope.workspaceId, head.keyId))
    for (let attempt = 0; ; attempt++) {
      try {
        const out = await store.transaction((tx) =>
          commitInTx(tx, { scope, ctx, plan, opts, keys, current, now: clock.now() }),
        )
        if (out.changed) await announce(scope, out.state, out.changedKeys)
        return { state: out.state, changed: out.changed, result: out.result }
      } catch (err) {
        if (!(err instanceof KeyNotWarm) || attempt >= 2) throw err
        keys.set(err.keyId, await keyring.keyFor(scope.workspaceId, err.keyId))
      }
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

interface TxInput<T> {
  scope: DocumentScope
  ctx: RequestContext
  plan: (state: DocState) => Proposal<T>
  opts: CommitOptions
  keys: ReadonlyMap<string, DataKey>
  current: DataKey
  now: Date
}

async function commitInTx<T>(tx: StoreTx, input: TxInput<T>) {
  const { scope, ctx, opts, now } = input
  if (scope.environmentId === null)
    await tx.projects.lockForUpdate(scope.workspaceId, scope.projectId)
  else await tx.environments.lockForUpdate(scope.workspaceId, scope.environmentId)
  const head = await tx.revisions.latest(scope)
  const state = head === undefined ? emptyState(scope) : openInTx(head, input.keys)
  if (opts.baseRevision !== undefined && opts.baseRevision !== state.revision) {
    throw new AppError(
      'PRECONDITION_FAILED',
      `the document is at revision ${state.revision}, not ${opts.baseRevision}; re-read and retry`,
      [],
      { currentRevision: state.revision },
    )
  }
  const proposal = input.plan(state)
  const auditBase = {
    workspaceId: scope.workspaceId,
    projectId: scope.projectId,
    environmentId: scope.environmentId,
  }
  if (proposal.doc === undefined || proposal.changedKeys.length === 0) {
    await appendAudit(
      tx,
      ctx,
      {
        ...auditBase,
        ...proposal.audit,
        detail: { ...proposal.audit.detail, revision: state.revision, unchanged: true },
      },
      now,
    )
    return { state, changed: false, result: proposal.result, changedKeys: [] as string[] }
  }
  const next = nextState(state, proposal, ctx, now)
  const revisionId = newId('revision', now.getTime())
  const text = serializeDocument(proposal.doc)
  const row = await tx.revisions.append({
    id: revisionId,
    ...scope,
    number: state.revision + 1,
    authorId: ctx.actor.id,
    createdAt: now.toISOString(),
    message: opts.message ?? null,
    changedKeys: [...proposal.changedKeys],
    keyIndex: buildKeyIndex(next.values, next.meta),
    sealed: sealValue(input.current, text, aadOf(scope, revisionId)),
    keyId: input.current.keyId,
  })
  await appendAudit(
    tx,
    ctx,
    { ...auditBase, ...proposal.audit, detail: { ...proposal.audit.detail, revision: row.number } },
    now,
  )
  const newState: DocState = {
    ...next,
    scope,
    revision: row.number,
    revisionId,
    updatedAt: row.createdAt,
    doc: proposal.doc,
  }
  return {
    state: newState,
    changed: true,
    result: proposal.result,
    changedKeys: [...proposal.changedKeys],
  }
}

function openInTx(row: RevisionRow, keys: ReadonlyMap<string, DataKey>): DocState {
  const key = keys.get(row.keyId)
  if (key === undefined) throw new KeyNotWarm(row.keyId)
  return stateFromRevision(row, openValue(key, row.sealed, aadOf(row, row.id)))
}

function nextState<T>(state: DocState, p: Proposal<T>, ctx: RequestContext, now: Date) {
  const values = entriesOf(p.doc as EnvDocument)
  const changed = new Set(p.changedKeys)
  const meta = new Map<string, KeyMeta>()
  for (const key of values.keys()) {
    const old = state.meta.get(key)
    const kind = p.kinds?.get(key) ?? old?.kind ?? 'config'
    meta.set(
      key,
      changed.has(key) || old === undefined
        ? { kind, updatedAt: now.toISOString(), updatedBy: ctx.actor.id }
        : { ...old, kind },
    )
  }
  return { values, meta }
}
