import type { Kysely } from 'kysely'
import type { EnvironmentReads, EnvironmentRepo, EnvironmentRow } from '../store.ts'
import { bool, int, json, notFound, pageSize, touched, withWrites } from './codec.ts'
import type { EngineSpec } from './engine.ts'
import { prepared } from './prepared.ts'
import type { Database, EnvironmentsTable } from './schema.ts'

function toRow(r: EnvironmentsTable): EnvironmentRow {
  return {
    id: r.id,
    workspaceId: r.workspace_id,
    projectId: r.project_id,
    slug: r.slug,
    parentId: r.parent_id,
    expiresAt: r.expires_at,
    autoDeploy: bool(r.auto_deploy),
    requiredKeys: json<string[]>(r.required_keys),
    headRevision: r.head_revision,
    currentReleaseId: r.current_release_id,
    createdAt: r.created_at,
  }
}

function inWorkspace(db: Kysely<Database>, workspaceId: string) {
  return db.selectFrom('environments').selectAll().where('workspace_id', '=', workspaceId)
}

type ById = { workspaceId: string; id: string }
const getQuery = prepared((db, _e, a: ById) =>
  inWorkspace(db, a.workspaceId).where('id', '=', a.id),
)
const lockQuery = prepared((db, engine, a: ById) =>
  engine.forUpdate(inWorkspace(db, a.workspaceId).where('id', '=', a.id)),
)
const bySlugQuery = prepared(
  (db, _e, a: { workspaceId: string; projectId: string; slug: string }) =>
    inWorkspace(db, a.workspaceId).where('project_id', '=', a.projectId).where('slug', '=', a.slug),
)

/** Environment reads over `db`. */
export function environmentReads(db: Kysely<Database>, engine: EngineSpec): EnvironmentReads {
  return {
    async get(workspaceId, id) {
      const r = (await getQuery(db, engine, { workspaceId, id })).rows[0]
      return r && toRow(r)
    },
    async getBySlug(workspaceId, projectId, slug) {
      const r = (await bySlugQuery(db, engine, { workspaceId, projectId, slug })).rows[0]
      return r && toRow(r)
    },
    async list(workspaceId, projectId) {
      const rows = await inWorkspace(db, workspaceId)
        .where('project_id', '=', projectId)
        .orderBy('created_at')
        .orderBy('id')
        .execute()
      return rows.map(toRow)
    },
    async listExpired(at, limit) {
      const rows = await db
        .selectFrom('environments')
        .selectAll()
        .where('expires_at', 'is not', null)
        .where('expires_at', '<=', at)
        .orderBy('expires_at')
        .limit(pageSize(limit))
        .execute()
      return rows.map(toRow)
    },
  }
}

/** Environment reads and writes inside transaction `db`. */
export function environmentRepo(db: Kysely<Database>, engine: EngineSpec): EnvironmentRepo {
  const writes: Omit<EnvironmentRepo, keyof EnvironmentReads> = {
    async create(row) {
      const r: EnvironmentsTable = {
        id: row.id,
        workspace_id: row.workspaceId,
        project_id: row.projectId,
        slug: row.slug,
        parent_id: row.parentId,
        expires_at: row.expiresAt,
        auto_deploy: int(row.autoDeploy),
        required_keys: JSON.stringify(row.requiredKeys),
        head_revision: 0,
        current_release_id: null,
        created_at: row.createdAt,
      }
      await db.insertInto('environments').values(r).execute()
      return toRow(r)
    },
    async update(workspaceId, id, patch) {
      const set: Partial<EnvironmentsTable> = {}
      if (patch.autoDeploy !== undefined) set.auto_deploy = int(patch.autoDeploy)
      if (patch.requiredKeys !== undefined) set.required_keys = JSON.stringify(patch.requiredKeys)
      if (patch.expiresAt !== undefined) set.expires_at = patch.expiresAt
      const r = await db
        .updateTable('environments')
        .set(Object.keys(set).length > 0 ? set : { id })
        .where('workspace_id', '=', workspaceId)
        .where('id', '=', id)
        .returningAll()
        .executeTakeFirst()
      if (!r) throw notFound('environment', id)
      return toRow(r)
    },
    async setCurrentRelease(workspaceId, id, releaseId) {
      const res = await db
        .updateTable('environments')
        .set({ current_release_id: releaseId })
        .where('workspace_id', '=', workspaceId)
        .where('id', '=', id)
        .where((eb) =>
          eb.exists(
            eb
              .selectFrom('releases')
              .select('releases.id')
              .where('releases.id', '=', releaseId)
              .whereRef('releases.environment_id', '=', 'environments.id'),
          ),
        )
        .executeTakeFirst()
      if (!touched(res)) throw notFound('release of environment', `${id}/${releaseId}`)
    },
    async delete(workspaceId, id) {
      const res = await db
        .deleteFrom('environments')
        .where('workspace_id', '=', workspaceId)
        .where('id', '=', id)
        .executeTakeFirst()
      if (!touched(res)) throw notFound('environment', id)
    },
    async lockForUpdate(workspaceId, id) {
      const r = (await lockQuery(db, engine, { workspaceId, id })).rows[0]
      if (!r) throw notFound('environment', id)
      return toRow(r)
    },
  }
  return withWrites(environmentReads(db, engine), writes)
}
