import type { Kysely } from 'kysely'
import type { WorkspaceReads, WorkspaceRepo, WorkspaceRow } from '../store.ts'
import { notFound, withWrites } from './codec.ts'
import type { EngineSpec } from './engine.ts'
import { prepared } from './prepared.ts'
import type { Database, WorkspacesTable } from './schema.ts'

function toRow(r: WorkspacesTable): WorkspaceRow {
  return {
    id: r.id,
    name: r.name,
    createdAt: r.created_at,
    auditSeq: r.audit_seq,
    auditHash: r.audit_hash,
  }
}

const lockHeadQuery = prepared((db, engine, a: { id: string }) =>
  engine.forUpdate(
    db.selectFrom('workspaces').select(['audit_seq', 'audit_hash']).where('id', '=', a.id),
  ),
)

/** Workspace reads over `db` (the store or a transaction). */
export function workspaceReads(db: Kysely<Database>, _engine: EngineSpec): WorkspaceReads {
  return {
    async get(id) {
      const r = await db
        .selectFrom('workspaces')
        .selectAll()
        .where('id', '=', id)
        .executeTakeFirst()
      return r && toRow(r)
    },
    async list() {
      const rows = await db
        .selectFrom('workspaces')
        .selectAll()
        .orderBy('created_at')
        .orderBy('id')
        .execute()
      return rows.map(toRow)
    },
    async count() {
      const r = await db
        .selectFrom('workspaces')
        .select((eb) => eb.fn.countAll().as('n'))
        .executeTakeFirst()
      return Number(r?.n ?? 0)
    },
  }
}

/** Workspace reads and writes inside transaction `db`. */
export function workspaceRepo(db: Kysely<Database>, engine: EngineSpec): WorkspaceRepo {
  const writes: Omit<WorkspaceRepo, keyof WorkspaceReads> = {
    async create(row) {
      const r: WorkspacesTable = {
        id: row.id,
        name: row.name,
        created_at: row.createdAt,
        audit_seq: 0,
        audit_hash: null,
      }
      await db.insertInto('workspaces').values(r).execute()
      return toRow(r)
    },
    async rename(id, name) {
      const r = await db
        .updateTable('workspaces')
        .set({ name })
        .where('id', '=', id)
        .returningAll()
        .executeTakeFirst()
      if (!r) throw notFound('workspace', id)
      return toRow(r)
    },
    async lockAuditHead(id) {
      const r = (await lockHeadQuery(db, engine, { id })).rows[0]
      if (!r) throw notFound('workspace', id)
      return { seq: r.audit_seq, hash: r.audit_hash }
    },
  }
  return withWrites(workspaceReads(db, engine), writes)
}
