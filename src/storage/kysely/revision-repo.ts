import { sql, type Kysely } from 'kysely'
import { AppError } from '../../core/errors.ts'
import type {
  DocumentScope,
  KeyIndexEntry,
  NewRevision,
  RevisionMeta,
  RevisionReads,
  RevisionRepo,
  RevisionRow,
} from '../store.ts'
import { bytes, json, pageSize, withWrites } from './codec.ts'
import { advanceHead } from './document-head.ts'
import type { EngineSpec } from './engine.ts'
import { prepared } from './prepared.ts'
import { countByKey, listSealedByKey, reseal } from './sealed-rows.ts'
import type { Database, RevisionsTable } from './schema.ts'

const META_COLUMNS = [
  'id',
  'workspace_id',
  'project_id',
  'environment_id',
  'scope_id',
  'number',
  'author_id',
  'created_at',
  'message',
  'changed_keys',
  'key_index',
  'key_id',
] as const

function toMeta(r: Omit<RevisionsTable, 'sealed'>): RevisionMeta {
  return {
    id: r.id,
    workspaceId: r.workspace_id,
    projectId: r.project_id,
    environmentId: r.environment_id,
    number: r.number,
    authorId: r.author_id,
    createdAt: r.created_at,
    message: r.message,
    changedKeys: json<string[]>(r.changed_keys),
    keyIndex: r.key_index === AS_PARENT ? UNRESOLVED : json<KeyIndexEntry[]>(r.key_index),
    keyId: r.key_id,
  }
}

function toRow(r: RevisionsTable): RevisionRow {
  return { ...toMeta(r), sealed: r.sealed }
}

// A revision whose key index is its parent's stores this instead of a copy (about 40 bytes per
// key, a WAL page more per commit of a 100-key document, for what most writes leave unchanged).
// It is never valid JSON, so it cannot be mistaken for an index. Every KEY_INDEX_EVERY-th revision
// stores its index in full, so resolving one walks back at most that many rows.
const AS_PARENT = ''
const KEY_INDEX_EVERY = 32
// Marks a row read with AS_PARENT until `resolveKeyIndexes` gives it its index.
const UNRESOLVED: KeyIndexEntry[] = []

/** The stored key index of revision `r` (`keyIndexAsParent`: the parent's, see AS_PARENT). */
function storedKeyIndex(r: NewRevision): string {
  const asParent = r.keyIndexAsParent === true && r.number > 1 && r.number % KEY_INDEX_EVERY !== 0
  return asParent ? AS_PARENT : keyIndexJson(r.keyIndex)
}

const keyIndexBeforeQuery = prepared((db, _e, a: ScopeArgs & { number: number }) =>
  inScope(db, a)
    .select('key_index')
    .where('number', '<', a.number)
    .where('key_index', '<>', AS_PARENT)
    .orderBy('number', 'desc')
    .limit(sql.lit(1)),
)

/**
 * Gives every row of one document read with AS_PARENT the index of its nearest older revision
 * that stores one: from the rows themselves (a page of a listing) or one query.
 */
async function resolveKeyIndexes<M extends RevisionMeta>(
  db: Kysely<Database>,
  engine: EngineSpec,
  rows: M[],
): Promise<M[]> {
  if (!rows.some((r) => r.keyIndex === UNRESOLVED)) return rows
  const oldestFirst = [...rows].sort((a, b) => a.number - b.number)
  let carried: KeyIndexEntry[] | undefined
  let expected: number | undefined
  for (const row of oldestFirst) {
    const gap = expected !== undefined && row.number !== expected
    expected = row.number + 1
    if (row.keyIndex !== UNRESOLVED) {
      carried = row.keyIndex
      continue
    }
    if (carried === undefined || gap) {
      const args = { ...scopeArgs(row), number: row.number }
      const found = (await keyIndexBeforeQuery(db, engine, args)).rows[0]
      if (found === undefined)
        throw new AppError('INTERNAL', `revision ${row.number} has no key index to inherit`)
      carried = json<KeyIndexEntry[]>(found.key_index)
    }
    // Each row gets its own copy: callers may change what they are given.
    row.keyIndex = carried.map((e) => ({ ...e }))
  }
  return rows
}

/** Row `r` (if any) with its key index resolved. */
async function resolvedRow(
  db: Kysely<Database>,
  engine: EngineSpec,
  r: RevisionsTable | undefined,
): Promise<RevisionRow | undefined> {
  return r && (await resolveKeyIndexes(db, engine, [toRow(r)]))[0]
}

type SealedColumns = Pick<
  RevisionsTable,
  'id' | 'workspace_id' | 'project_id' | 'environment_id' | 'number' | 'created_at' | 'key_id'
>

/** A head row as the writer and reader need it (`sealed` null when the caller holds it). */
function toSealedRevision<S extends Buffer | null>(r: SealedColumns & { sealed: S }) {
  return {
    id: r.id,
    workspaceId: r.workspace_id,
    projectId: r.project_id,
    environmentId: r.environment_id,
    number: r.number,
    createdAt: r.created_at,
    keyId: r.key_id,
    sealed: r.sealed,
  }
}

interface ScopeArgs {
  scopeId: string
  workspaceId: string
  projectId: string
}

function inScope(db: Kysely<Database>, a: ScopeArgs) {
  return db
    .selectFrom('revisions')
    .where('scope_id', '=', a.scopeId)
    .where('workspace_id', '=', a.workspaceId)
    .where('project_id', '=', a.projectId)
}

const scopeArgs = (s: DocumentScope): ScopeArgs => ({
  scopeId: s.environmentId ?? s.projectId,
  workspaceId: s.workspaceId,
  projectId: s.projectId,
})

const latestQuery = prepared((db, _e, a: ScopeArgs) =>
  inScope(db, a).selectAll().orderBy('number', 'desc').limit(1),
)
// LIMIT as a literal, not a bound parameter: SQLite then stops at the first index entry, which
// makes this hot read (every document read and commit) about a third cheaper.
const latestSealedQuery = prepared((db, _e, a: ScopeArgs) =>
  inScope(db, a)
    .select(['id', 'workspace_id', 'project_id', 'environment_id', 'number', 'created_at'])
    .select(['key_id', 'sealed'])
    .orderBy('number', 'desc')
    .limit(sql.lit(1)),
)
// The writer's variant: the blob only when the head is not the revision the caller holds.
const latestUnlessQuery = prepared((db, _e, a: ScopeArgs & { knownId: string }) =>
  inScope(db, a)
    .select(['id', 'workspace_id', 'project_id', 'environment_id', 'number', 'created_at'])
    .select('key_id')
    .select((eb) =>
      eb
        .case()
        .when('id', '=', a.knownId)
        .then(sql<Buffer | null>`null`)
        .else(eb.ref('sealed'))
        .end()
        .as('sealed'),
    )
    .orderBy('number', 'desc')
    .limit(sql.lit(1)),
)
const numberQuery = prepared((db, _e, a: ScopeArgs & { number: number }) =>
  inScope(db, a).selectAll().where('number', '=', a.number),
)
const insertQuery = prepared((db, _e, r: RevisionsTable) => db.insertInto('revisions').values(r))

// JSON of frozen key indexes: a writer passes the same frozen array for revision after revision
// while a document's keys stay the same, and an array frozen with its entries cannot change.
const frozenJson = new WeakMap<readonly KeyIndexEntry[], string>()

const deepFrozen = (index: readonly KeyIndexEntry[]): boolean =>
  frozenJson.has(index) || (Object.isFrozen(index) && index.every((e) => Object.isFrozen(e)))

function keyIndexJson(index: readonly KeyIndexEntry[]): string {
  let json = frozenJson.get(index)
  if (json !== undefined) return json
  json = JSON.stringify(index)
  if (deepFrozen(index)) frozenJson.set(index, json)
  return json
}

/** Revision reads over `db`; the latest revision of a document is the hot read path. */
export function revisionReads(db: Kysely<Database>, engine: EngineSpec): RevisionReads {
  return {
    async latest(scope) {
      return resolvedRow(db, engine, (await latestQuery(db, engine, scopeArgs(scope))).rows[0])
    },
    async latestSealed(scope) {
      const r = (await latestSealedQuery(db, engine, scopeArgs(scope))).rows[0]
      return r && toSealedRevision(r)
    },
    async latestSealedUnless(scope, knownId) {
      const args = { ...scopeArgs(scope), knownId: knownId ?? '' }
      const r = (await latestUnlessQuery(db, engine, args)).rows[0]
      return r && toSealedRevision(r)
    },
    async get(scope, number) {
      const r = (await numberQuery(db, engine, { ...scopeArgs(scope), number })).rows[0]
      return resolvedRow(db, engine, r)
    },
    async getById(workspaceId, id) {
      const r = await db
        .selectFrom('revisions')
        .selectAll()
        .where('workspace_id', '=', workspaceId)
        .where('id', '=', id)
        .executeTakeFirst()
      return resolvedRow(db, engine, r)
    },
    async list(scope, page) {
      let q = inScope(db, scopeArgs(scope)).select(META_COLUMNS)
      if (page?.beforeNumber !== undefined) q = q.where('number', '<', page.beforeNumber)
      const rows = await q.orderBy('number', 'desc').limit(pageSize(page?.limit)).execute()
      return resolveKeyIndexes(db, engine, rows.map(toMeta))
    },
    // Methods, not arrow functions: built for every transaction, and a named arrow costs more
    // where names are kept (tsx).
    listSealedByKey(workspaceId, keyId, page) {
      return listSealedByKey(db, 'revisions', workspaceId, keyId, page)
    },
    countByKey(workspaceId, keyId) {
      return countByKey(db, 'revisions', workspaceId, keyId)
    },
  }
}

/** Revision reads and the one write, `append`, inside transaction `db`. */
export function revisionRepo(db: Kysely<Database>, engine: EngineSpec): RevisionRepo {
  const writes: Omit<RevisionRepo, keyof RevisionReads> = {
    async append(row) {
      await advanceHead(db, engine, row)
      const r: RevisionsTable = {
        id: row.id,
        workspace_id: row.workspaceId,
        project_id: row.projectId,
        environment_id: row.environmentId,
        scope_id: row.environmentId ?? row.projectId,
        number: row.number,
        author_id: row.authorId,
        created_at: row.createdAt,
        message: row.message,
        changed_keys: JSON.stringify(row.changedKeys),
        key_index: storedKeyIndex(row),
        sealed: bytes(row.sealed),
        key_id: row.keyId,
      }
      await insertQuery(db, engine, r)
      // The row as given (copied): parsing back the JSON just written would cost a commit more
      // than its seal does.
      const { keyIndexAsParent: _, ...given } = row
      return {
        ...given,
        changedKeys: [...row.changedKeys],
        keyIndex: deepFrozen(row.keyIndex) ? row.keyIndex : row.keyIndex.map((e) => ({ ...e })),
        sealed: r.sealed,
      }
    },
    reseal(workspaceId, id, fromKeyId, sealed, toKeyId) {
      return reseal(db, 'revisions', { workspaceId, id, fromKeyId }, sealed, toKeyId)
    },
  }
  return withWrites(revisionReads(db, engine), writes)
}
