import {
  entriesOf,
  parseDocument,
  serializeDocument,
  type EnvDocument,
} from '../../core/dotenv/index.ts'
import type { DocumentScope, KeyIndexEntry, KeyKind, SealedRevision } from '../../storage/store.ts'
import {
  decodePayload,
  withEncodedPayload,
  type AddonPayload,
  type PayloadKey,
} from './document-payload.ts'

/** An attached add-on's variables in a state: sealed with the revision, outside the document. */
export type AddonVars = AddonPayload

/** Metadata per key: its kind and who last changed it when. Never its value. */
export interface KeyMeta {
  kind: KeyKind
  updatedAt?: string
  updatedBy?: string
}

/** One document as of a revision: the parsed text, its key→value projection and key metadata. */
export interface DocState {
  readonly scope: DocumentScope
  /** 0 for a document never written. */
  readonly revision: number
  readonly revisionId: string | null
  readonly updatedAt: string | null
  readonly doc: EnvDocument
  readonly values: ReadonlyMap<string, string>
  readonly meta: ReadonlyMap<string, KeyMeta>
  /** Attached add-ons and their variables, by name (none: empty). Users' writes never touch them. */
  readonly addons: readonly AddonVars[]
}

const EMPTY_DOC = parseDocument('')

/** The state of a document that has no revision yet. */
export function emptyState(scope: DocumentScope): DocState {
  return {
    scope,
    revision: 0,
    revisionId: null,
    updatedAt: null,
    doc: EMPTY_DOC,
    values: new Map(),
    meta: new Map(),
    addons: [],
  }
}

/**
 * Builds the state from a revision row and its opened plaintext. Kinds and stamps come from the
 * sealed payload (authenticated), never from the row's clear key index, which anyone with write
 * access to the database could edit to unmask a secret.
 */
export function stateFromRevision(
  row: Omit<SealedRevision, 'sealed' | 'keyId'>,
  plaintext: Buffer,
): DocState {
  const payload = decodePayload(plaintext)
  const doc = parseDocument(payload.text)
  const values = entriesOf(doc)
  const meta = new Map<string, KeyMeta>()
  let i = 0
  for (const key of values.keys()) meta.set(key, payload.keys[i++] ?? { kind: 'config' })
  return {
    scope: {
      workspaceId: row.workspaceId,
      projectId: row.projectId,
      environmentId: row.environmentId,
    },
    revision: row.number,
    revisionId: row.id,
    updatedAt: row.createdAt,
    doc,
    values,
    meta,
    addons: payload.addons ?? [],
  }
}

/**
 * Hands `use` the plaintext a revision seals (the serialized document plus the kinds and stamps
 * of its keys, `keys` in the order the keys appear) and wipes it when `use` returns; `use` must
 * be synchronous and not keep it.
 */
export function withPayloadOf<T>(
  doc: EnvDocument,
  keys: readonly PayloadKey[],
  addons: readonly AddonVars[],
  use: (plain: Buffer) => T,
): T {
  return withEncodedPayload(serializeDocument(doc), keys, addons, use)
}

/** The kind of `key` in this state; keys without metadata are config. */
export function kindOf(state: Pick<DocState, 'meta'>, key: string): KeyKind {
  return state.meta.get(key)?.kind ?? 'config'
}

/** The key index stored in clear with a revision: names and kinds in document order. */
export function buildKeyIndex(
  values: ReadonlyMap<string, string>,
  meta: ReadonlyMap<string, KeyMeta>,
): KeyIndexEntry[] {
  return [...values.keys()].map((key) => ({ key, kind: meta.get(key)?.kind ?? 'config' }))
}

export { serializeDocument }
