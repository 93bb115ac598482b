import { Kysely, PostgresDialect, sql } from 'kysely'
import pg from 'pg'
import { AppError } from '../../core/errors.ts'
import type { EngineSpec } from '../kysely/engine.ts'
import { createKyselyStore } from '../kysely/kysely-store.ts'
import type { Database } from '../kysely/schema.ts'
import { translatingDialect } from '../kysely/translating-driver.ts'
import type { Store } from '../store.ts'
import { translatePostgresError } from './postgres-errors.ts'

export interface PostgresStoreOptions {
  /** `postgres://…`; never echoed in an error (it may hold a password). */
  url: string
  /** Schema for Tresor's tables (created if missing); default: the server's search_path. */
  schema?: string
  /** Connections in the pool (default 10). */
  poolSize?: number
  /** How long to wait for a pooled connection before UNAVAILABLE (default 5000 ms). */
  busyTimeoutMs?: number
}

const POSTGRES: EngineSpec = {
  name: 'postgres',
  blobType: 'bytea',
  // NO KEY UPDATE, not UPDATE: the locked rows' keys never change, and FOR UPDATE would conflict
  // with the KEY SHARE locks that foreign-key checks take on the same rows (a revision or audit
  // row inserted by another transaction), deadlocking concurrent writers of one workspace.
  forUpdate: (qb) => qb.forNoKeyUpdate(),
  async lockMigrations(trx) {
    // Held until the migration transaction ends; keyed by schema so test schemas don't queue.
    await sql`select pg_advisory_xact_lock(hashtext('tresor.migrate.' || current_schema()))`.execute(
      trx,
    )
  },
  async settings(db) {
    const r = await sql<Record<string, string>>`
      select current_setting('synchronous_commit') as synchronous_commit,
             current_setting('fsync') as fsync,
             current_setting('server_version') as server_version,
             current_schema() as schema`.execute(db)
    return { ...r.rows[0] }
  },
}

const SCHEMA_NAME = /^[a-z_][a-z0-9_]{0,62}$/

/** Connects a pool to PostgreSQL at `url`, migrates, and returns the store. */
export async function openPostgresStore(options: PostgresStoreOptions): Promise<Store> {
  const { schema } = options
  if (schema !== undefined && !SCHEMA_NAME.test(schema)) {
    throw new AppError(
      'CONFIG_INVALID',
      'schema must match [a-z_][a-z0-9_]* (at most 63 characters)',
      [{ field: 'schema', message: 'invalid schema name' }],
    )
  }
  const pool = new pg.Pool({
    connectionString: options.url,
    max: Math.max(1, Math.floor(options.poolSize ?? 10)),
    connectionTimeoutMillis: Math.max(1, Math.floor(options.busyTimeoutMs ?? 5000)),
    // Every pooled connection starts with this search_path, so no query names the schema.
    ...(schema === undefined ? {} : { options: `-c search_path=${schema}` }),
  })
  // An idle client losing its connection emits 'error' on the pool; without a listener Node
  // would crash. The next query reports the outage as UNAVAILABLE instead.
  pool.on('error', () => {})
  // A client lent out by the pool has no 'error' listener of the pool's: a connection lost while
  // a request holds it (a database restart) would be an unhandled 'error' and end the process.
  // Its queries fail on their own (UNAVAILABLE) and the pool drops it when it comes back.
  pool.on('connect', (client) => client.on('error', () => {}))
  try {
    if (schema !== undefined) await ensureSchema(pool, schema)
  } catch (err) {
    await pool.end()
    throw translatePostgresError(err, { op: 'other', table: undefined })
  }
  const dialect = new PostgresDialect({ pool })
  const db = new Kysely<Database>({ dialect: translatingDialect(dialect, translatePostgresError) })
  return createKyselyStore(db, POSTGRES)
}

// Creating needs the CREATE privilege, so an existing schema is only looked up. Two servers
// starting at once may both try to create it: the loser's error is fine if it exists afterwards.
async function ensureSchema(pool: pg.Pool, schema: string): Promise<void> {
  const exists = async () =>
    (await pool.query('select 1 from pg_namespace where nspname = $1', [schema])).rowCount === 1
  if (await exists()) return
  try {
    await pool.query(`create schema ${schema}`)
  } catch (err) {
    if (!(await exists())) throw err
  }
}
