import type { Kysely } from 'kysely'
import type { DataKeyReads, DataKeyRepo, DataKeyRow, DataKeyState } from '../store.ts'
import { bytes, notFound, touched } from './codec.ts'
import type { EngineSpec } from './engine.ts'
import type { Database, DataKeysTable } from './schema.ts'

function toRow(r: DataKeysTable): DataKeyRow {
  return {
    id: r.id,
    workspaceId: r.workspace_id,
    version: r.version,
    wrappedKey: r.wrapped_key,
    rootKeyId: r.root_key_id,
    state: r.state as DataKeyState,
    createdAt: r.created_at,
  }
}

/** Data-key reads: what the keyring needs to unwrap a workspace's keys. */
export function dataKeyReads(db: Kysely<Database>, _engine: EngineSpec): DataKeyReads {
  return {
    async loadWrappedKey(workspaceId, keyId) {
      const r = await db
        .selectFrom('data_keys')
        .selectAll()
        .where('id', '=', keyId)
        .where('workspace_id', '=', workspaceId)
        .executeTakeFirst()
      return r && toRow(r)
    },
    async loadCurrentKeyId(workspaceId) {
      const r = await db
        .selectFrom('data_keys')
        .select('id')
        .where('workspace_id', '=', workspaceId)
        .where('state', '=', 'current')
        .executeTakeFirst()
      return r?.id
    },
    async list(workspaceId) {
      const rows = await db
        .selectFrom('data_keys')
        .selectAll()
        .where('workspace_id', '=', workspaceId)
        .orderBy('version')
        .execute()
      return rows.map(toRow)
    },
    async listByRootKey(rootKeyId) {
      const rows = await db
        .selectFrom('data_keys')
        .selectAll()
        .where('root_key_id', '=', rootKeyId)
        .orderBy('workspace_id')
        .orderBy('version')
        .execute()
      return rows.map(toRow)
    },
  }
}

/** Data-key reads and writes inside transaction `db`. */
export function dataKeyRepo(db: Kysely<Database>, engine: EngineSpec): DataKeyRepo {
  return {
    ...dataKeyReads(db, engine),
    async create(row) {
      const r: DataKeysTable = {
        id: row.id,
        workspace_id: row.workspaceId,
        version: row.version,
        wrapped_key: bytes(row.wrappedKey),
        root_key_id: row.rootKeyId,
        state: row.state,
        created_at: row.createdAt,
      }
      await db.insertInto('data_keys').values(r).execute()
      return toRow(r)
    },
    async retire(workspaceId, id) {
      const res = await db
        .updateTable('data_keys')
        .set({ state: 'retired' })
        .where('id', '=', id)
        .where('workspace_id', '=', workspaceId)
        .executeTakeFirst()
      if (!touched(res)) throw notFound('data key', id)
    },
    async rewrap(id, wrappedKey, rootKeyId) {
      const res = await db
        .updateTable('data_keys')
        .set({ wrapped_key: bytes(wrappedKey), root_key_id: rootKeyId })
        .where('id', '=', id)
        .executeTakeFirst()
      if (!touched(res)) throw notFound('data key', id)
    },
  }
}
