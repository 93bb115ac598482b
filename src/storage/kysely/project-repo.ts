import type { Kysely } from 'kysely'
import type { ProjectReads, ProjectRepo, ProjectRow } from '../store.ts'
import { json, notFound, withWrites } from './codec.ts'
import type { EngineSpec } from './engine.ts'
import { prepared } from './prepared.ts'
import type { Database, ProjectsTable } from './schema.ts'

function toRow(r: ProjectsTable): ProjectRow {
  return {
    id: r.id,
    workspaceId: r.workspace_id,
    slug: r.slug,
    name: r.name,
    requiredKeys: json<string[]>(r.required_keys),
    headRevision: r.head_revision,
    createdAt: r.created_at,
    deletedAt: r.deleted_at,
  }
}

function live(db: Kysely<Database>, workspaceId: string) {
  return db
    .selectFrom('projects')
    .selectAll()
    .where('workspace_id', '=', workspaceId)
    .where('deleted_at', 'is', null)
}

const lockQuery = prepared((db, engine, a: { workspaceId: string; id: string }) =>
  engine.forUpdate(live(db, a.workspaceId).where('id', '=', a.id)),
)
// The per-request lookups (every route resolves its project): compiled once.
const getQuery = prepared((db, _e, a: { workspaceId: string; id: string }) =>
  live(db, a.workspaceId).where('id', '=', a.id),
)
const bySlugQuery = prepared((db, _e, a: { workspaceId: string; slug: string }) =>
  live(db, a.workspaceId).where('slug', '=', a.slug),
)

/** Project reads over `db`; a soft-deleted project is invisible unless asked for. */
export function projectReads(db: Kysely<Database>, engine: EngineSpec): ProjectReads {
  return {
    async get(workspaceId, id, opts) {
      const r = opts?.includeDeleted
        ? await db
            .selectFrom('projects')
            .selectAll()
            .where('workspace_id', '=', workspaceId)
            .where('id', '=', id)
            .executeTakeFirst()
        : (await getQuery(db, engine, { workspaceId, id })).rows[0]
      return r && toRow(r)
    },
    async getBySlug(workspaceId, slug) {
      const r = (await bySlugQuery(db, engine, { workspaceId, slug })).rows[0]
      return r && toRow(r)
    },
    async list(workspaceId) {
      const rows = await live(db, workspaceId).orderBy('slug').execute()
      return rows.map(toRow)
    },
  }
}

/** Project reads and writes inside transaction `db`. */
export function projectRepo(db: Kysely<Database>, engine: EngineSpec): ProjectRepo {
  const reads = projectReads(db, engine)
  const writes: Omit<ProjectRepo, keyof ProjectReads> = {
    async create(row) {
      const r: ProjectsTable = {
        id: row.id,
        workspace_id: row.workspaceId,
        slug: row.slug,
        name: row.name,
        required_keys: JSON.stringify(row.requiredKeys),
        head_revision: 0,
        created_at: row.createdAt,
        deleted_at: null,
      }
      await db.insertInto('projects').values(r).execute()
      return toRow(r)
    },
    async update(workspaceId, id, patch) {
      const set: Partial<ProjectsTable> = {}
      if (patch.name !== undefined) set.name = patch.name
      if (patch.requiredKeys !== undefined) set.required_keys = JSON.stringify(patch.requiredKeys)
      const r = await db
        .updateTable('projects')
        .set(Object.keys(set).length > 0 ? set : { id })
        .where('workspace_id', '=', workspaceId)
        .where('id', '=', id)
        .where('deleted_at', 'is', null)
        .returningAll()
        .executeTakeFirst()
      if (!r) throw notFound('project', id)
      return toRow(r)
    },
    async softDelete(workspaceId, id, at) {
      const r = await db
        .updateTable('projects')
        .set({ deleted_at: at })
        .where('workspace_id', '=', workspaceId)
        .where('id', '=', id)
        .where('deleted_at', 'is', null)
        .returning('id')
        .executeTakeFirst()
      if (!r) throw notFound('project', id)
    },
    async lockForUpdate(workspaceId, id) {
      const r = (await lockQuery(db, engine, { workspaceId, id })).rows[0]
      if (!r) throw notFound('project', id)
      return toRow(r)
    },
  }
  return withWrites(reads, writes)
}
