import { mkdirSync } from 'node:fs'
import { dirname } from 'node:path'
import BetterSqlite3 from 'better-sqlite3'
import { CompiledQuery, Kysely, type DatabaseConnection } from 'kysely'
import { AppError } from '../../core/errors.ts'
import type { Store } from '../store.ts'
import type { EngineSpec } from '../kysely/engine.ts'
import { createKyselyStore } from '../kysely/kysely-store.ts'
import type { Database } from '../kysely/schema.ts'
import { runWhenIdle } from '../kysely/prepared.ts'
import { translatingConnection, translatingDialect } from '../kysely/translating-driver.ts'
import { createCheckpointer, makeWalRoom, ROOM_FRAMES } from './sqlite-checkpointer.ts'
import { sqliteDialect } from './sqlite-driver.ts'
import { translateSqliteError } from './sqlite-errors.ts'

export interface SqliteStoreOptions {
  path: string
  /** How long to wait for the write lock or the connection before UNAVAILABLE (default 5000). */
  busyTimeoutMs?: number
}

const waitMs = (o: SqliteStoreOptions) => Math.max(1, Math.floor(o.busyTimeoutMs ?? 5000))

const SYNCHRONOUS = ['OFF', 'NORMAL', 'FULL', 'EXTRA']

/** The connection's page cache, KiB. */
const CACHE_KIB = 2000

/**
 * SQLite has one writer. Every transaction starts with BEGIN IMMEDIATE, so it holds the write
 * lock before its first read: a read-head-then-append can never be overtaken by another writer
 * (in this process the store's single connection serialises transactions; across processes the
 * lock and busy_timeout do). That is why row locks (`forUpdate`) are a no-op here.
 */
const SQLITE: EngineSpec = {
  name: 'sqlite',
  blobType: 'blob',
  forUpdate: (qb) => qb,
  lockMigrations: () => Promise.resolve(),
  async settings(db) {
    const out: Record<string, string> = {}
    for (const p of [
      'journal_mode',
      'synchronous',
      'foreign_keys',
      'busy_timeout',
      'wal_autocheckpoint',
    ]) {
      const q = CompiledQuery.raw(`pragma ${p}`)
      const { rows } = await db.executeQuery<Record<string, unknown>>(q)
      const value = Object.values(rows[0] ?? {})[0]
      out[p] = typeof value === 'string' || typeof value === 'number' ? String(value) : ''
    }
    out['synchronous'] = SYNCHRONOUS[Number(out['synchronous'])] ?? String(out['synchronous'])
    return out
  },
}

/** Opens (creating if needed) the SQLite database at `path` with durable settings, migrated. */
export async function openSqliteStore(options: SqliteStoreOptions): Promise<Store> {
  const raw = openDatabase(options)
  const checkpointer =
    options.path === ':memory:'
      ? undefined
      : createCheckpointer({
          path: options.path,
          setAutoCheckpoint: (pages) => raw.pragma(`wal_autocheckpoint = ${pages}`),
          makeRoom: () => makeWalRoom(raw, options.path, ROOM_FRAMES),
          checkpointNow: () => checkpointResult(raw.pragma('wal_checkpoint(PASSIVE)')),
        })
  let idle: () => DatabaseConnection | undefined = () => undefined
  const dialect = sqliteDialect(raw, waitMs(options), {
    ...(checkpointer && { committed: checkpointer.committed, beforeClose: checkpointer.close }),
    exposeIdle: (fn) => (idle = fn),
  })
  const db = new Kysely<Database>({ dialect: translatingDialect(dialect, translateSqliteError) })
  let translated: DatabaseConnection | undefined
  runWhenIdle(db, () => {
    const connection = idle()
    if (connection === undefined) return undefined
    return (translated ??= translatingConnection(connection, translateSqliteError))
  })
  return createKyselyStore(db, SQLITE)
}

function checkpointResult(rows: unknown): { log: number; checkpointed: number } {
  const r = (Array.isArray(rows) ? rows[0] : undefined) as Record<string, unknown> | undefined
  return { log: Number(r?.['log'] ?? 0), checkpointed: Number(r?.['checkpointed'] ?? 0) }
}

function openDatabase(options: SqliteStoreOptions): BetterSqlite3.Database {
  const ctx = { op: 'other', table: undefined } as const
  try {
    if (options.path !== ':memory:') mkdirSync(dirname(options.path), { recursive: true })
    const raw = new BetterSqlite3(options.path)
    // WAL + FULL: every acknowledged commit is fsynced to the WAL (survives power loss, not only
    // a process crash). NORMAL would be 5× faster on small writes and could lose the last ones.
    const mode = String(raw.pragma('journal_mode = WAL', { simple: true }))
    raw.pragma('synchronous = FULL')
    raw.pragma('foreign_keys = ON')
    // SQLite's own 2 MB page cache. Every commit adds pages (a revision row and its overflow
    // page); while the cache is still growing, each one is fresh memory from malloc, and those
    // first touches cost a commit about 10% more CPU than reusing cached pages (measured side by
    // side in one process against 64 MB, which keeps growing for about 5,000 commits). Reads of
    // pages no longer cached come from the operating system's cache: reading one of 1,000
    // environments cost 0.85-1.12x reading the only one across runs (bench/documents.bench.ts (c),
    // target 1.2x).
    raw.pragma(`cache_size = -${CACHE_KIB}`)
    raw.pragma(`busy_timeout = ${waitMs(options)}`)
    if (mode !== 'wal' && options.path !== ':memory:') {
      raw.close()
      throw new AppError('UNAVAILABLE', `SQLite refused WAL mode for ${options.path} (got ${mode})`)
    }
    return raw
  } catch (err) {
    const e = translateSqliteError(err, ctx)
    throw e.code === 'INTERNAL'
      ? new AppError(
          'UNAVAILABLE',
          `cannot open the SQLite database at ${options.path}`,
          [],
          e.meta,
        )
      : e
  }
}
