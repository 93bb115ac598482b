import type { Kysely } from 'kysely'
import type { ServerSecretReads, ServerSecretRepo, ServerSecretRow } from '../store.ts'
import type { Database, ServerSecretsTable } from './schema.ts'

function toRow(r: ServerSecretsTable): ServerSecretRow {
  return { name: r.name, wrapped: r.wrapped, rootKeyId: r.root_key_id, createdAt: r.created_at }
}

/** Reads of server-wide wrapped secrets. */
export function serverSecretReads(db: Kysely<Database>): ServerSecretReads {
  return {
    async get(name) {
      const r = await db
        .selectFrom('server_secrets')
        .selectAll()
        .where('name', '=', name)
        .executeTakeFirst()
      return r && toRow(r)
    },
    async list() {
      return (await db.selectFrom('server_secrets').selectAll().orderBy('name').execute()).map(
        toRow,
      )
    },
  }
}

/** Server secrets inside a transaction: created once, re-wrapped on root-key rotation. */
export function serverSecretRepo(db: Kysely<Database>): ServerSecretRepo {
  return {
    ...serverSecretReads(db),
    async create(row) {
      await db
        .insertInto('server_secrets')
        .values({
          name: row.name,
          wrapped: row.wrapped,
          root_key_id: row.rootKeyId,
          created_at: row.createdAt,
        })
        .execute()
      return row
    },
    async rewrap(name, wrapped, rootKeyId) {
      await db
        .updateTable('server_secrets')
        .set({ wrapped: Buffer.from(wrapped), root_key_id: rootKeyId })
        .where('name', '=', name)
        .execute()
    },
  }
}
