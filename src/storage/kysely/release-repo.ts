import type { Kysely } from 'kysely'
import type { ReleaseMeta, ReleaseReads, ReleaseRepo, ReleaseRow, ReleaseStatus } from '../store.ts'
import { bytes, json, notFound, pageSize, touched } from './codec.ts'
import type { EngineSpec } from './engine.ts'
import type { Database, ReleasesTable } from './schema.ts'
import { countByKey, listSealedByKey, reseal } from './sealed-rows.ts'

const META_COLUMNS = [
  'id',
  'workspace_id',
  'project_id',
  'environment_id',
  'number',
  'env_revision',
  'project_revision',
  'system_vars',
  'deploy_id',
  'author_id',
  'status',
  'key_id',
  'created_at',
] as const

function toMeta(r: Omit<ReleasesTable, 'sealed'>): ReleaseMeta {
  return {
    id: r.id,
    workspaceId: r.workspace_id,
    projectId: r.project_id,
    environmentId: r.environment_id,
    number: r.number,
    envRevision: r.env_revision,
    projectRevision: r.project_revision,
    systemVars: json<Record<string, string>>(r.system_vars),
    deployId: r.deploy_id,
    authorId: r.author_id,
    status: r.status as ReleaseStatus,
    keyId: r.key_id,
    createdAt: r.created_at,
  }
}

function toRow(r: ReleasesTable): ReleaseRow {
  return { ...toMeta(r), sealed: r.sealed }
}

function ofEnv(db: Kysely<Database>, workspaceId: string, environmentId: string) {
  return db
    .selectFrom('releases')
    .where('workspace_id', '=', workspaceId)
    .where('environment_id', '=', environmentId)
}

/** Release reads over `db`. */
export function releaseReads(db: Kysely<Database>, _engine: EngineSpec): ReleaseReads {
  return {
    async get(workspaceId, id) {
      const r = await db
        .selectFrom('releases')
        .selectAll()
        .where('workspace_id', '=', workspaceId)
        .where('id', '=', id)
        .executeTakeFirst()
      return r && toRow(r)
    },
    async getByNumber(workspaceId, environmentId, number) {
      const r = await ofEnv(db, workspaceId, environmentId)
        .selectAll()
        .where('number', '=', number)
        .executeTakeFirst()
      return r && toRow(r)
    },
    async latest(workspaceId, environmentId) {
      const r = await ofEnv(db, workspaceId, environmentId)
        .selectAll()
        .orderBy('number', 'desc')
        .limit(1)
        .executeTakeFirst()
      return r && toRow(r)
    },
    async list(workspaceId, environmentId, page) {
      let q = ofEnv(db, workspaceId, environmentId).select(META_COLUMNS)
      if (page?.beforeNumber !== undefined) q = q.where('number', '<', page.beforeNumber)
      const rows = await q.orderBy('number', 'desc').limit(pageSize(page?.limit)).execute()
      return rows.map(toMeta)
    },
    listSealedByKey: (workspaceId, keyId, page) =>
      listSealedByKey(db, 'releases', workspaceId, keyId, page),
    countByKey: (workspaceId, keyId) => countByKey(db, 'releases', workspaceId, keyId),
  }
}

/** Release reads and writes inside transaction `db`; a release's content never changes. */
export function releaseRepo(db: Kysely<Database>, engine: EngineSpec): ReleaseRepo {
  return {
    ...releaseReads(db, engine),
    async create(row) {
      const r: ReleasesTable = {
        id: row.id,
        workspace_id: row.workspaceId,
        project_id: row.projectId,
        environment_id: row.environmentId,
        number: row.number,
        env_revision: row.envRevision,
        project_revision: row.projectRevision,
        system_vars: JSON.stringify(row.systemVars),
        deploy_id: row.deployId,
        author_id: row.authorId,
        status: row.status,
        sealed: row.sealed && bytes(row.sealed),
        key_id: row.keyId,
        created_at: row.createdAt,
      }
      await db.insertInto('releases').values(r).execute()
      return toRow(r)
    },
    async setStatus(workspaceId, id, status) {
      const res = await db
        .updateTable('releases')
        .set({ status })
        .where('workspace_id', '=', workspaceId)
        .where('id', '=', id)
        .executeTakeFirst()
      if (!touched(res)) throw notFound('release', id)
    },
    reseal: (workspaceId, id, fromKeyId, sealed, toKeyId) =>
      reseal(db, 'releases', { workspaceId, id, fromKeyId }, sealed, toKeyId),
  }
}
