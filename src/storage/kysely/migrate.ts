import type { Kysely, Transaction } from 'kysely'
import { AppError } from '../../core/errors.ts'
import type { EngineSpec } from './engine.ts'
import { LATEST_VERSION, MIGRATIONS } from './migrations/index.ts'
import type { Database } from './schema.ts'

/**
 * Brings the schema up to LATEST_VERSION in one transaction and returns the version; refuses a
 * database written by a newer Tresor (SCHEMA_TOO_NEW) rather than running code against it.
 */
export async function migrate(db: Kysely<Database>, engine: EngineSpec): Promise<number> {
  return db.transaction().execute(async (trx) => {
    // Several servers may start at once against one PostgreSQL: the first migrates, the others
    // wait on this lock and then find nothing left to do.
    await engine.lockMigrations(trx)
    await trx.schema
      .createTable('schema_version')
      .ifNotExists()
      .addColumn('version', 'integer', (c) => c.primaryKey())
      .addColumn('name', 'text', (c) => c.notNull())
      .addColumn('applied_at', 'text', (c) => c.notNull())
      .execute()
    const current = await readVersion(trx)
    if (current > LATEST_VERSION) {
      throw new AppError(
        'SCHEMA_TOO_NEW',
        `database schema version ${current} is newer than this Tresor (${LATEST_VERSION}); upgrade Tresor`,
      )
    }
    for (const m of MIGRATIONS) {
      if (m.version <= current) continue
      await m.up(trx as unknown as Kysely<unknown>, engine)
      await trx
        .insertInto('schema_version')
        .values({ version: m.version, name: m.name, applied_at: new Date().toISOString() })
        .execute()
    }
    return Math.max(current, LATEST_VERSION)
  })
}

/** The highest applied schema version (0 for an empty database). */
export async function readVersion(db: Kysely<Database> | Transaction<Database>): Promise<number> {
  const row = await db
    .selectFrom('schema_version')
    .select((eb) => eb.fn.max('version').as('v'))
    .executeTakeFirst()
  return Number(row?.v ?? 0)
}
