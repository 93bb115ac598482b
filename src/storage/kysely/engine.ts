import type { Kysely, SelectQueryBuilder } from 'kysely'
import type { AppError } from '../../core/errors.ts'
import type { Engine } from '../store.ts'
import type { Database } from './schema.ts'

/** What a statement was doing when the engine refused it, for a precise error message. */
export interface QueryContext {
  op: 'select' | 'insert' | 'update' | 'delete' | 'other'
  table: string | undefined
}

/** Turns any engine error into an AppError that holds no value, parameter or password. */
export type TranslateError = (err: unknown, ctx: QueryContext) => AppError

/**
 * The few things that differ between engines, supplied by `src/storage/dialects/`: the Kysely
 * code never branches on the engine name itself, it calls these.
 */
export interface EngineSpec {
  readonly name: Engine
  /** Column type of byte strings in migrations. */
  readonly blobType: 'blob' | 'bytea'
  /** Adds the engine's row lock (held until commit) to a SELECT. */
  forUpdate<DB, TB extends keyof DB, O>(
    qb: SelectQueryBuilder<DB, TB, O>,
  ): SelectQueryBuilder<DB, TB, O>
  /** Serialises migrators of several processes sharing one database, inside `trx`. */
  lockMigrations(trx: Kysely<Database>): Promise<void>
  /** Durability settings as the engine reports them. */
  settings(db: Kysely<Database>): Promise<Record<string, string>>
}
