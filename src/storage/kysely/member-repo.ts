import type { Kysely } from 'kysely'
import type { MemberReads, MemberRepo, MemberRole, MemberRow } from '../store.ts'
import { bool, int, notFound } from './codec.ts'
import type { EngineSpec } from './engine.ts'
import { prepared } from './prepared.ts'
import type { Database, MembersTable } from './schema.ts'

function toRow(r: MembersTable): MemberRow {
  return {
    id: r.id,
    workspaceId: r.workspace_id,
    email: r.email,
    name: r.name,
    role: r.role as MemberRole,
    disabled: bool(r.disabled),
    revealProduction: bool(r.reveal_production),
    createdAt: r.created_at,
  }
}

// The per-request lookup of a token's member: compiled once.
const getQuery = prepared((db, _e, a: { workspaceId: string; id: string }) =>
  db
    .selectFrom('members')
    .selectAll()
    .where('workspace_id', '=', a.workspaceId)
    .where('id', '=', a.id),
)

/** Member reads over `db`. */
export function memberReads(db: Kysely<Database>, engine: EngineSpec): MemberReads {
  const base = (workspaceId: string) =>
    db.selectFrom('members').selectAll().where('workspace_id', '=', workspaceId)
  return {
    async get(workspaceId, id) {
      const r = (await getQuery(db, engine, { workspaceId, id })).rows[0]
      return r && toRow(r)
    },
    async getByEmail(workspaceId, email) {
      const r = await base(workspaceId).where('email', '=', email).executeTakeFirst()
      return r && toRow(r)
    },
    async list(workspaceId) {
      const rows = await base(workspaceId).orderBy('created_at').orderBy('id').execute()
      return rows.map(toRow)
    },
  }
}

/** Member reads and writes inside transaction `db`. */
export function memberRepo(db: Kysely<Database>, engine: EngineSpec): MemberRepo {
  return {
    ...memberReads(db, engine),
    async create(row) {
      const r: MembersTable = {
        id: row.id,
        workspace_id: row.workspaceId,
        email: row.email,
        name: row.name,
        role: row.role,
        disabled: int(row.disabled),
        reveal_production: int(row.revealProduction ?? false),
        created_at: row.createdAt,
      }
      await db.insertInto('members').values(r).execute()
      return toRow(r)
    },
    async update(workspaceId, id, patch) {
      const set: Partial<MembersTable> = {}
      if (patch.name !== undefined) set.name = patch.name
      if (patch.role !== undefined) set.role = patch.role
      if (patch.disabled !== undefined) set.disabled = int(patch.disabled)
      if (patch.revealProduction !== undefined) set.reveal_production = int(patch.revealProduction)
      const q = db
        .updateTable('members')
        .where('workspace_id', '=', workspaceId)
        .where('id', '=', id)
      // An empty patch still has to prove the row exists, so it sets id to itself.
      const r = await q
        .set(Object.keys(set).length > 0 ? set : { id })
        .returningAll()
        .executeTakeFirst()
      if (!r) throw notFound('member', id)
      return toRow(r)
    },
  }
}
