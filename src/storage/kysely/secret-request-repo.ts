import type { Kysely } from 'kysely'
import type { SecretRequestReads, SecretRequestRepo, SecretRequestRow } from '../store.ts'
import { bytes } from './codec.ts'
import type { EngineSpec } from './engine.ts'
import type { Database, SecretRequestsTable } from './schema.ts'

function toRow(r: SecretRequestsTable): SecretRequestRow {
  return {
    id: r.id,
    workspaceId: r.workspace_id,
    projectId: r.project_id,
    environmentId: r.environment_id,
    key: r.key,
    description: r.description,
    tokenHash: r.token_hash,
    createdBy: r.created_by,
    expiresAt: r.expires_at,
    fulfilledAt: r.fulfilled_at,
    createdAt: r.created_at,
  }
}

/** Secret-request reads over `db`. */
export function secretRequestReads(db: Kysely<Database>, _engine: EngineSpec): SecretRequestReads {
  return {
    async getByTokenHash(tokenHash) {
      const r = await db
        .selectFrom('secret_requests')
        .selectAll()
        .where('token_hash', '=', bytes(tokenHash))
        .executeTakeFirst()
      return r && toRow(r)
    },
    async get(workspaceId, id) {
      const r = await db
        .selectFrom('secret_requests')
        .selectAll()
        .where('workspace_id', '=', workspaceId)
        .where('id', '=', id)
        .executeTakeFirst()
      return r && toRow(r)
    },
    async list(workspaceId, filter) {
      let q = db.selectFrom('secret_requests').selectAll().where('workspace_id', '=', workspaceId)
      if (filter?.environmentId !== undefined)
        q = q.where('environment_id', '=', filter.environmentId)
      const rows = await q.orderBy('created_at', 'desc').orderBy('id').execute()
      return rows.map(toRow)
    },
  }
}

/** Secret-request reads and writes inside transaction `db`. */
export function secretRequestRepo(db: Kysely<Database>, engine: EngineSpec): SecretRequestRepo {
  return {
    ...secretRequestReads(db, engine),
    async create(row) {
      const r: SecretRequestsTable = {
        id: row.id,
        workspace_id: row.workspaceId,
        project_id: row.projectId,
        environment_id: row.environmentId,
        key: row.key,
        description: row.description,
        token_hash: bytes(row.tokenHash),
        created_by: row.createdBy,
        expires_at: row.expiresAt,
        fulfilled_at: null,
        created_at: row.createdAt,
      }
      await db.insertInto('secret_requests').values(r).execute()
      return toRow(r)
    },
    async fulfill(id, at) {
      // One conditional UPDATE is the check and the consume: two racers cannot both win.
      const r = await db
        .updateTable('secret_requests')
        .set({ fulfilled_at: at })
        .where('id', '=', id)
        .where('fulfilled_at', 'is', null)
        .where('expires_at', '>', at)
        .returning('id')
        .executeTakeFirst()
      return r !== undefined
    },
  }
}
