import type {
  CompiledQuery,
  DatabaseConnection,
  Dialect,
  Driver,
  QueryResult,
  TransactionSettings,
} from 'kysely'
import type { OperationNode } from 'kysely'
import { AppError } from '../../core/errors.ts'
import type { QueryContext, TranslateError } from './engine.ts'

/**
 * Wraps an engine's Kysely dialect so that every error leaving a query, a connection or a
 * transaction boundary is translated into an AppError: no raw driver error crosses storage/.
 */
export function translatingDialect(inner: Dialect, translate: TranslateError): Dialect {
  return {
    createDriver: () => new TranslatingDriver(inner.createDriver(), translate),
    createQueryCompiler: () => inner.createQueryCompiler(),
    createAdapter: () => inner.createAdapter(),
    createIntrospector: (db) => inner.createIntrospector(db),
  }
}

const OTHER: QueryContext = { op: 'other', table: undefined }

// A statement that fails inside a transaction leaves the transaction unusable on PostgreSQL
// (25P02) but not on SQLite; refusing every later statement makes both engines behave the same.
const FAILED_TX = 'the transaction already failed: rethrow the storage error instead of continuing'

class TranslatingConnection implements DatabaseConnection {
  inTransaction = false
  failed = false

  constructor(
    readonly inner: DatabaseConnection,
    private readonly translate: TranslateError,
  ) {}

  async executeQuery<R>(query: CompiledQuery): Promise<QueryResult<R>> {
    if (this.failed) throw new AppError('INTERNAL', FAILED_TX)
    try {
      return await this.inner.executeQuery<R>(query)
    } catch (err) {
      if (this.inTransaction) this.failed = true
      throw this.translate(err, queryContext(query.query))
    }
  }

  async *streamQuery<R>(
    query: CompiledQuery,
    chunkSize?: number,
  ): AsyncIterableIterator<QueryResult<R>> {
    try {
      yield* this.inner.streamQuery<R>(query, chunkSize)
    } catch (err) {
      if (this.inTransaction) this.failed = true
      throw this.translate(err, queryContext(query.query))
    }
  }
}

/** `connection` outside any transaction, its errors translated as the driver's would be. */
export function translatingConnection(
  connection: DatabaseConnection,
  translate: TranslateError,
): DatabaseConnection {
  return new TranslatingConnection(connection, translate)
}

class TranslatingDriver implements Driver {
  // One wrapper per engine connection, so a pooled connection keeps its identity and state.
  private readonly wrappers = new WeakMap<DatabaseConnection, TranslatingConnection>()

  constructor(
    private readonly inner: Driver,
    private readonly translate: TranslateError,
  ) {}

  private async guard<T>(work: () => Promise<T>): Promise<T> {
    try {
      return await work()
    } catch (err) {
      throw this.translate(err, OTHER)
    }
  }

  init(): Promise<void> {
    return this.guard(() => this.inner.init())
  }

  async acquireConnection(): Promise<DatabaseConnection> {
    const conn = await this.guard(() => this.inner.acquireConnection())
    let wrapper = this.wrappers.get(conn)
    if (!wrapper) {
      wrapper = new TranslatingConnection(conn, this.translate)
      this.wrappers.set(conn, wrapper)
    }
    return wrapper
  }

  async beginTransaction(conn: DatabaseConnection, settings: TransactionSettings): Promise<void> {
    const c = conn as TranslatingConnection
    await this.guard(() => this.inner.beginTransaction(c.inner, settings))
    c.inTransaction = true
    c.failed = false
  }

  async commitTransaction(conn: DatabaseConnection): Promise<void> {
    const c = conn as TranslatingConnection
    if (c.failed) throw new AppError('INTERNAL', FAILED_TX)
    await this.guard(() => this.inner.commitTransaction(c.inner))
    c.inTransaction = false
  }

  async rollbackTransaction(conn: DatabaseConnection): Promise<void> {
    const c = conn as TranslatingConnection
    c.inTransaction = false
    c.failed = false
    await this.guard(() => this.inner.rollbackTransaction(c.inner))
  }

  releaseConnection(conn: DatabaseConnection): Promise<void> {
    return this.guard(() => this.inner.releaseConnection((conn as TranslatingConnection).inner))
  }

  destroy(): Promise<void> {
    return this.guard(() => this.inner.destroy())
  }
}

/** Reads the statement kind and its main table from Kysely's query tree. */
function queryContext(node: OperationNode | undefined): QueryContext {
  const n = node as unknown as Record<string, unknown> | undefined
  switch (n?.['kind']) {
    case 'SelectQueryNode':
      return { op: 'select', table: undefined }
    case 'InsertQueryNode':
      return { op: 'insert', table: tableName(n['into']) }
    case 'UpdateQueryNode':
      return { op: 'update', table: tableName(n['table']) }
    case 'DeleteQueryNode': {
      const from = n['from'] as { froms?: unknown[] } | undefined
      return { op: 'delete', table: tableName(from?.froms?.[0]) }
    }
    default:
      return OTHER
  }
}

function tableName(node: unknown): string | undefined {
  const t = node as { kind?: string; table?: { identifier?: { name?: unknown } } } | undefined
  const name = t?.kind === 'TableNode' ? t.table?.identifier?.name : undefined
  return typeof name === 'string' ? name : undefined
}
