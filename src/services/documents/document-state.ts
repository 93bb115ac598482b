import {
  entriesOf,
  parseDocument,
  serializeDocument,
  type EnvDocument,
} from '../../core/dotenv/index.ts'
import type { DocumentScope, KeyIndexEntry, KeyKind, RevisionRow } from '../../storage/store.ts'

/** Metadata kept in clear per key: its kind and who last changed it when. Never its value. */
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
  }
}

/** Builds the state from a revision row and its opened plaintext. */
export function stateFromRevision(row: RevisionRow, plaintext: Buffer): DocState {
  const doc = parseDocument(plaintext.toString('utf8'))
  const meta = new Map<string, KeyMeta>()
  for (const e of row.keyIndex) meta.set(e.key, metaOf(e))
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
    values: entriesOf(doc),
    meta,
  }
}

function metaOf(e: KeyIndexEntry): KeyMeta {
  const m: KeyMeta = { kind: e.kind }
  if (e.updatedAt !== undefined) m.updatedAt = e.updatedAt
  if (e.updatedBy !== undefined) m.updatedBy = e.updatedBy
  return m
}

/** The kind of `key` in this state; keys without metadata are config. */
export function kindOf(state: Pick<DocState, 'meta'>, key: string): KeyKind {
  return state.meta.get(key)?.kind ?? 'config'
}

/** The key index stored in clear with a revision: names, kinds, last change; in document order. */
export function buildKeyIndex(
  values: ReadonlyMap<string, string>,
  meta: ReadonlyMap<string, KeyMeta>,
): KeyIndexEntry[] {
  return [...values.keys()].map((key) => ({ key, ...(meta.get(key) ?? { kind: 'config' }) }))
}

export { serializeDocument }
