import { AppError } from '../core/errors.ts'
import type { Store } from './store.ts'

export interface OpenStoreOptions {
  /** `postgres://…` or `postgresql://…`: the scaled mode. Never echoed in errors. */
  url?: string
  /** SQLite file (its directory is created): the embedded default. */
  sqlitePath?: string
  /** PostgreSQL schema for Tresor's tables, created if missing (tests use one per file). */
  schema?: string
  /** PostgreSQL pool size (default 10). */
  poolSize?: number
  /**
   * How long to wait for the database before UNAVAILABLE (default 5000 ms): SQLite's write lock
   * and single connection, or a PostgreSQL pool connection.
   */
  busyTimeoutMs?: number
}

/**
 * Opens the store named by exactly one of `url` (PostgreSQL) or `sqlitePath` (SQLite), applies
 * pending migrations and returns the port. Fails with SCHEMA_TOO_NEW on a newer database.
 * @example const store = await openStore({ sqlitePath: '.tresor/tresor.db' })
 */
export async function openStore(options: OpenStoreOptions): Promise<Store> {
  const { url, sqlitePath } = options
  if ((url === undefined) === (sqlitePath === undefined)) {
    throw new AppError('CONFIG_INVALID', 'give exactly one of a PostgreSQL url or a SQLite path', [
      { field: 'url', message: 'exactly one of url and sqlitePath' },
    ])
  }
  if (url !== undefined) {
    if (!/^postgres(ql)?:\/\//.test(url) || !URL.canParse(url)) {
      throw new AppError('CONFIG_INVALID', 'the database url must be a postgres:// URL', [
        { field: 'url', message: 'must be a valid postgres:// or postgresql:// URL' },
      ])
    }
    // Loaded on demand: an SQLite deployment never loads pg, and vice versa.
    const { openPostgresStore } = await import('./dialects/postgres-dialect.ts')
    return openPostgresStore({
      url,
      ...(options.schema === undefined ? {} : { schema: options.schema }),
      ...(options.poolSize === undefined ? {} : { poolSize: options.poolSize }),
      ...(options.busyTimeoutMs === undefined ? {} : { busyTimeoutMs: options.busyTimeoutMs }),
    })
  }
  const { openSqliteStore } = await import('./dialects/sqlite-dialect.ts')
  return openSqliteStore({
    path: sqlitePath ?? '',
    ...(options.busyTimeoutMs === undefined ? {} : { busyTimeoutMs: options.busyTimeoutMs }),
  })
}
