import type { Compilable, CompiledQuery, DatabaseConnection, Kysely, QueryResult } from 'kysely'
import { AppError } from '../../core/errors.ts'
import type { EngineSpec } from './engine.ts'
import type { Database } from './schema.ts'

// Building and compiling a Kysely query costs ~7 µs of CPU; the hot statements (the write path,
// the latest-revision read, the token lookup) have a fixed shape, so they are compiled once per
// engine with placeholder values and then run with each call's parameters.

// Inside a transaction, a prepared statement goes straight to the transaction's connection (the
// dialect's translating wrapper: same error translation, same failed-transaction refusal): Kysely's
// executor chain around it (about eight async layers, no plugins configured) cost a commit of
// seven statements more CPU than the statements themselves.
interface Direct {
  connection: DatabaseConnection
  state: { active: boolean }
}
const directs = new WeakMap<Kysely<Database>, Direct>()

/**
 * Lets prepared statements on transaction `trx` run on `connection` while `state.active`.
 * `connection` must be the one `trx` holds (see kysely-store.ts).
 */
export function runDirectly(
  trx: Kysely<Database>,
  connection: DatabaseConnection,
  state: { active: boolean },
): void {
  directs.set(trx, { connection, state })
}

// Outside a transaction, a store whose driver is synchronous (SQLite) lets a prepared statement
// run on its connection directly while nobody holds it, instead of through Kysely's connection
// provider (acquire, run, release: a dozen promises for one synchronous call).
const idles = new WeakMap<Kysely<Database>, () => DatabaseConnection | undefined>()

/** Lets prepared statements on the store `db` run on `idle()`'s connection when it gives one. */
export function runWhenIdle(
  db: Kysely<Database>,
  idle: () => DatabaseConnection | undefined,
): void {
  idles.set(db, idle)
}

/** Stands for argument `key` while a statement is compiled; never reaches the database. */
class Slot {
  constructor(readonly key: string) {}
}

/** Runs a prepared statement on `db` (the store or a transaction) with `args`. */
export type Prepared<A extends object, R> = (
  db: Kysely<Database>,
  engine: EngineSpec,
  args: A,
) => Promise<QueryResult<R>>

/**
 * Prepares a statement of fixed shape. `build` receives placeholder arguments typed as the real
 * ones; it must pass them to Kysely only as values (never branch on them or transform them), and
 * every call must pass the same keys.
 * @example const byId = prepared((db, _e, a: { id: string }) => db.selectFrom('tokens').selectAll().where('id', '=', a.id))
 */
export function prepared<A extends object, R>(
  build: (db: Kysely<Database>, engine: EngineSpec, args: A) => Compilable<R>,
): Prepared<A, R> {
  const compiled = new WeakMap<EngineSpec, { query: CompiledQuery<R>; slots: unknown[] }>()
  return (db, engine, args) => {
    let entry = compiled.get(engine)
    if (!entry) {
      const placeholders = Object.fromEntries(Object.keys(args).map((k) => [k, new Slot(k)]))
      const query = build(db, engine, placeholders as unknown as A).compile()
      entry = { query, slots: [...query.parameters] }
      compiled.set(engine, entry)
    }
    const parameters = entry.slots.map((p) =>
      p instanceof Slot ? (args as Record<string, unknown>)[p.key] : p,
    )
    const query: CompiledQuery<R> = { ...entry.query, parameters }
    const direct = directs.get(db)
    if (direct === undefined) {
      const idle = idles.get(db)?.()
      return idle === undefined ? db.executeQuery<R>(query) : idle.executeQuery<R>(query)
    }
    if (!direct.state.active) {
      return Promise.reject(new AppError('INTERNAL', 'the transaction is over: do not keep `tx`'))
    }
    return direct.connection.executeQuery<R>(query)
  }
}
