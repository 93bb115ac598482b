import type BetterSqlite3 from 'better-sqlite3'
import {
  CompiledQuery,
  SqliteAdapter,
  SqliteIntrospector,
  SqliteQueryCompiler,
  type DatabaseConnection,
  type Dialect,
  type Driver,
  type QueryResult,
} from 'kysely'
import { AppError } from '../../core/errors.ts'

/**
 * Kysely dialect over one better-sqlite3 connection. Differs from Kysely's own SqliteDialect in
 * three ways: transactions begin IMMEDIATE (the write lock is taken before the first read, so a
 * read-then-write can never be overtaken), prepared statements are reused (the store issues a
 * small fixed set of SQL strings), and waiting for the connection is bounded by `waitMs`.
 */
export function sqliteDialect(
  db: BetterSqlite3.Database,
  waitMs: number,
  hooks: SqliteDriverHooks = {},
): Dialect {
  return {
    createDriver: () => new SqliteStoreDriver(db, waitMs, hooks),
    createQueryCompiler: () => new SqliteQueryCompiler(),
    createAdapter: () => new SqliteAdapter(),
    createIntrospector: (k) => new SqliteIntrospector(k),
  }
}

class SqliteConnection implements DatabaseConnection {
  private readonly statements = new Map<string, BetterSqlite3.Statement>()

  constructor(private readonly db: BetterSqlite3.Database) {}

  executeQuery<R>({ sql, parameters }: CompiledQuery): Promise<QueryResult<R>> {
    let stmt = this.statements.get(sql)
    if (!stmt) {
      if (this.statements.size >= 500) this.statements.clear()
      stmt = this.db.prepare(sql)
      this.statements.set(sql, stmt)
    }
    if (stmt.reader) return Promise.resolve({ rows: stmt.all(parameters) as R[] })
    const { changes, lastInsertRowid } = stmt.run(parameters)
    return Promise.resolve({
      numAffectedRows: BigInt(changes),
      insertId: BigInt(lastInsertRowid),
      rows: [],
    })
  }

  // The store never streams; refuse clearly rather than half-support it.
  streamQuery<R>(): AsyncIterableIterator<QueryResult<R>> {
    throw new AppError('INTERNAL', 'streaming queries are not supported by the SQLite store')
  }
}

/** What the store's SQLite driver tells its surroundings (the background checkpointer). */
export interface SqliteDriverHooks {
  /** After every successful COMMIT. */
  committed?: () => void
  /** Before the connection is closed. */
  beforeClose?: () => Promise<void>
  /**
   * Receives, once the driver exists, a function that gives the connection while no one holds it
   * (no transaction, no query under way), else undefined: a statement run on it at once (the
   * driver is synchronous) is exactly what acquiring, running and releasing would have done.
   */
  exposeIdle?: (idle: () => DatabaseConnection | undefined) => void
}

const BEGIN = CompiledQuery.raw('begin immediate')
const COMMIT = CompiledQuery.raw('commit')
const ROLLBACK = CompiledQuery.raw('rollback')

interface Waiter {
  grant: () => void
  timer: NodeJS.Timeout
}

// SQLite has one connection per store: callers queue for it. A wait longer than `waitMs` fails
// with UNAVAILABLE instead of hanging; the usual cause is a transaction callback calling the
// outer store (which waits for the connection that transaction holds) instead of `tx`.
class SqliteStoreDriver implements Driver {
  private readonly connection: SqliteConnection
  private held = false
  private readonly waiters: Waiter[] = []

  constructor(
    private readonly db: BetterSqlite3.Database,
    private readonly waitMs: number,
    private readonly hooks: SqliteDriverHooks,
  ) {
    this.connection = new SqliteConnection(db)
    hooks.exposeIdle?.(() => (this.held ? undefined : this.connection))
  }

  init(): Promise<void> {
    return Promise.resolve()
  }

  acquireConnection(): Promise<DatabaseConnection> {
    if (!this.held) {
      this.held = true
      return Promise.resolve(this.connection)
    }
    return new Promise((resolve, reject) => {
      const waiter: Waiter = {
        grant: () => {
          clearTimeout(waiter.timer)
          resolve(this.connection)
        },
        timer: setTimeout(() => {
          this.waiters.splice(this.waiters.indexOf(waiter), 1)
          const message = `waited ${this.waitMs} ms for the SQLite connection (is a transaction using the store instead of tx?)`
          reject(new AppError('UNAVAILABLE', message))
        }, this.waitMs),
      }
      this.waiters.push(waiter)
    })
  }

  releaseConnection(): Promise<void> {
    // Handed straight to the next waiter, so no newcomer can slip in between.
    const next = this.waiters.shift()
    if (next) next.grant()
    else this.held = false
    return Promise.resolve()
  }

  async beginTransaction(conn: DatabaseConnection): Promise<void> {
    await conn.executeQuery(BEGIN)
  }

  async commitTransaction(conn: DatabaseConnection): Promise<void> {
    await conn.executeQuery(COMMIT)
    this.hooks.committed?.()
  }

  async rollbackTransaction(conn: DatabaseConnection): Promise<void> {
    await conn.executeQuery(ROLLBACK)
  }

  async destroy(): Promise<void> {
    for (const w of this.waiters.splice(0)) clearTimeout(w.timer)
    await this.hooks.beforeClose?.()
    this.db.close()
  }
}
