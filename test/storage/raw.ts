import BetterSqlite3 from 'better-sqlite3'
import pg from 'pg'
import type { TestDatabase } from '../helpers/stores.ts'

/**
 * Runs SQL on a test database behind the store's back (literal SQL, no parameters), to set up
 * states the port cannot reach: a newer schema version, a rewound head.
 */
export async function rawExec(db: TestDatabase, text: string): Promise<void> {
  if (db.engine === 'sqlite') {
    const raw = new BetterSqlite3(db.options.sqlitePath ?? '')
    try {
      raw.pragma('busy_timeout = 2000')
      raw.exec(text)
    } finally {
      raw.close()
    }
    return
  }
  const client = new pg.Client({
    connectionString: db.options.url,
    options: `-c search_path=${db.options.schema ?? 'public'}`,
  })
  await client.connect()
  try {
    await client.query(text)
  } finally {
    await client.end()
  }
}

/** Rows of `text` read past the store (SQLite file or the file's PostgreSQL schema). */
export async function rawRows(db: TestDatabase, text: string): Promise<Record<string, unknown>[]> {
  if (db.engine === 'sqlite') {
    const raw = new BetterSqlite3(db.options.sqlitePath ?? '', { readonly: true })
    try {
      return raw.prepare(text).all() as Record<string, unknown>[]
    } finally {
      raw.close()
    }
  }
  const client = new pg.Client({
    connectionString: db.options.url,
    options: `-c search_path=${db.options.schema ?? 'public'}`,
  })
  await client.connect()
  try {
    return (await client.query(text)).rows as Record<string, unknown>[]
  } finally {
    await client.end()
  }
}
