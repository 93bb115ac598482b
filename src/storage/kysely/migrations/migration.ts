import type { Kysely } from 'kysely'
import type { EngineSpec } from '../engine.ts'

/** One schema step. Portable DDL only; an engine difference goes through `engine`. */
export interface Migration {
  version: number
  name: string
  up(db: Kysely<unknown>, engine: EngineSpec): Promise<void>
}
