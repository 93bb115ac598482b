import { serializeDocument, type EnvDocument } from '../../core/dotenv/index.ts'
import { AppError } from '../../core/errors.ts'
import { newId } from '../../core/ids.ts'
import {
  openValue,
  parseDataKeyId,
  sealValue,
  SHARED_ENVIRONMENT,
  type Aad,
  type DataKey,
} from '../../crypto/index.ts'
import type {
  DocumentScope,
  JsonValue,
  KeyIndexEntry,
  KeyKind,
  SealedRevision,
  StoreTx,
} from '../../storage/store.ts'
import { appendAudit } from '../audit/audit-service.ts'
import type { RequestContext } from '../context.ts'
import { valuesOf } from './doc-values.ts'
import { keyIndexAfter, rememberedKeyIndex, rememberKeyIndex } from './key-index.ts'
import {
  emptyState,
  stateFromRevision,
  withPayloadOf,
  type AddonVars,
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
  /**
   * The add-ons' variables after this write; undefined keeps the current ones. Only the add-on
   * service sets it: users' writes (merge, replace, rollback) carry the add-ons over unchanged.
   */
  addons?: readonly AddonVars[]
}

export interface CommitOptions {
  /** The revision the caller read (If-Match); a different head is PRECONDITION_FAILED. */
  baseRevision?: number
  message?: string
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

/**
 * Thrown inside a transaction when the head needs a key that is not unwrapped yet (the commit
 * unwraps it outside and retries: no KMS call while holding the lock), or when the head is
 * sealed under a newer key version than the one this process believes current (the commit
 * refreshes the current key and retries, so a data-key rotation is followed at once).
 */
export class KeyNotReady extends Error {
  constructor(
    readonly keyId: string,
    readonly staleCurrent: boolean,
  ) {
    super('data key not ready')
  }
}

export interface TxInput<T> {
  scope: DocumentScope
  ctx: RequestContext
  plan: (state: DocState) => Proposal<T>
  opts: CommitOptions
  keyFor: (keyId: string) => DataKey | undefined
  current: DataKey
  now: Date
  /** The head this process last opened or wrote, used only if it still is the head. */
  cached?: DocState | undefined
}

export interface TxOutput<T> {
  state: DocState
  changed: boolean
  result: T
  changedKeys: readonly string[]
}

/** Locks the document, applies the plan to its head, appends the revision and audit event. */
export async function commitInTx<T>(tx: StoreTx, input: TxInput<T>): Promise<TxOutput<T>> {
  const { scope, ctx, opts, now } = input
  if (scope.environmentId === null) {
    await tx.projects.lockForUpdate(scope.workspaceId, scope.projectId)
  } else await tx.environments.lockForUpdate(scope.workspaceId, scope.environmentId)
  const { cached } = input
  const head = await tx.revisions.latestSealedUnless(scope, cached?.revisionId ?? null)
  let state: DocState
  if (head === undefined) state = emptyState(scope)
  else if (head.sealed === null) state = checkedCached(head, cached, input)
  else state = openHead({ ...head, sealed: head.sealed }, input)
  if (opts.baseRevision !== undefined && opts.baseRevision !== state.revision) {
    throw new AppError(
      'PRECONDITION_FAILED',
      `the document is at revision ${state.revision}, not ${opts.baseRevision}; re-read and retry`,
      [],
      { currentRevision: state.revision },
    )
  }
  const proposal = input.plan(state)
  // A write that only moves comments, blank lines or order changes no key but still changes the
  // document: it is a revision too (a dropped replace would silently lose the caller's text).
  const unchanged =
    proposal.doc === undefined ||
    (proposal.changedKeys.length === 0 &&
      serializeDocument(proposal.doc) === serializeDocument(state.doc))
  if (unchanged) {
    const detail = { ...proposal.audit.detail, revision: state.revision, unchanged: true }
    await appendAudit(tx, ctx, auditInput(scope, proposal.audit, detail), now)
    return { state, changed: false, result: proposal.result, changedKeys: [] }
  }
  const next = await appendRevision(tx, input, state, proposal)
  const detail = { ...proposal.audit.detail, revision: next.revision }
  await appendAudit(tx, ctx, auditInput(scope, proposal.audit, detail), now)
  return { state: next, changed: true, result: proposal.result, changedKeys: proposal.changedKeys }
}

type Detail = { [k: string]: JsonValue }

// Built in one literal: adding `detail` to a spread copy of the event took V8's slow path.
function auditInput(scope: DocumentScope, audit: Proposal<unknown>['audit'], detail: Detail) {
  const { workspaceId, projectId, environmentId } = scope
  return { workspaceId, projectId, environmentId, ...audit, detail }
}

/** The cached head, which the store just named as the head: the same checks as opening it. */
function checkedCached<T>(
  head: Pick<SealedRevision, 'id' | 'keyId'>,
  cached: DocState | undefined,
  input: TxInput<T>,
): DocState {
  if (cached === undefined || head.id !== cached.revisionId) {
    throw new AppError('INTERNAL', 'the store withheld a head this process does not hold')
  }
  assertCurrentKey(head.keyId, input.current)
  return cached
}

// A head sealed under a newer key version than this process's current key means a rotation
// happened elsewhere: refresh the current key first, so new seals follow it at once.
function assertCurrentKey(keyId: string, current: DataKey): void {
  if (versionOf(keyId) > versionOf(current.keyId)) throw new KeyNotReady(keyId, true)
}

function openHead<T>(row: SealedRevision, input: TxInput<T>): DocState {
  assertCurrentKey(row.keyId, input.current)
  const key = input.keyFor(row.keyId)
  if (key === undefined) throw new KeyNotReady(row.keyId, false)
  const plain = openValue(key, row.sealed, aadOf(row, row.id))
  try {
    return stateFromRevision(row, plain)
  } finally {
    plain.fill(0)
  }
}

const versionOf = (keyId: string): number => parseDataKeyId(keyId)?.version ?? 0

async function appendRevision<T>(
  tx: StoreTx,
  input: TxInput<T>,
  state: DocState,
  proposal: Proposal<T>,
): Promise<DocState> {
  const { scope, now } = input
  const doc = proposal.doc as EnvDocument
  const { values, meta, keys } = nextMeta(state, proposal, doc, input.ctx, now)
  const revisionId = newId('revision', now.getTime())
  const keyIndex = keyIndexAfter(state, values, keys)
  const addons = proposal.addons ?? state.addons
  const aad = aadOf(scope, revisionId)
  const sealed = withPayloadOf(doc, keys, addons, (plain) => sealValue(input.current, plain, aad))
  const row = await tx.revisions.append({
    id: revisionId,
    ...scope,
    number: state.revision + 1,
    authorId: input.ctx.actor.id,
    createdAt: now.toISOString(),
    message: input.opts.message ?? null,
    changedKeys: [...proposal.changedKeys],
    // Frozen (so the store may reuse its JSON), hence the cast to the row's array type.
    keyIndex: keyIndex as KeyIndexEntry[],
    keyIndexAsParent: keyIndex === rememberedKeyIndex(state),
    sealed,
    keyId: input.current.keyId,
  })
  // One plain literal: spreading two into one took V8's slow path (~4 µs a commit).
  const next: DocState = {
    scope,
    revision: row.number,
    revisionId,
    updatedAt: row.createdAt,
    doc,
    values,
    meta,
    addons,
  }
  rememberKeyIndex(next, keyIndex)
  return next
}

/** The new state's values and key metadata; `keys` lists the metadata in the values' order. */
function nextMeta<T>(
  state: DocState,
  p: Proposal<T>,
  doc: EnvDocument,
  ctx: RequestContext,
  now: Date,
) {
  const values = valuesOf(doc)
  const changed = new Set(p.changedKeys)
  const at = now.toISOString()
  const meta = new Map<string, KeyMeta>()
  const keys = new Array<KeyMeta>(values.size)
  let i = 0
  // A lookup per key: walking the old metadata's entries alongside allocated an entry and an
  // iterator result per key (about 6 KB a commit of 100 keys) to save a hash lookup.
  for (const key of values.keys()) {
    const old = state.meta.get(key)
    const kind = p.kinds?.get(key) ?? old?.kind ?? 'config'
    let next: KeyMeta
    if (changed.has(key) || old === undefined) {
      next = { kind, updatedAt: at, updatedBy: ctx.actor.id }
    } else next = old.kind === kind ? old : { ...old, kind }
    meta.set(key, next)
    keys[i++] = next
  }
  return { values, meta, keys }
}
