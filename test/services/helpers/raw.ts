// SQL behind the store's back, for tampering tests (move a ciphertext, forge an audit row) and
// for scanning what is at rest. Placeholders are `?` on both engines.
import BetterSqlite3 from 'better-sqlite3'
import pg from 'pg'
import type { TestDatabase } from '../../helpers/stores.ts'

/** Runs one statement with parameters on the test database; returns the rows it produced. */
export async function rawQuery(
  db: TestDatabase,
  text: string,
  params: unknown[] = [],
): Promise<Record<string, unknown>[]> {
  if (db.engine === 'sqlite') {
    const raw = new BetterSqlite3(db.options.sqlitePath ?? '')
    try {
      raw.pragma('busy_timeout = 2000')
      const stmt = raw.prepare(text)
      if (stmt.reader) return stmt.all(...params) as Record<string, unknown>[]
      stmt.run(...params)
      return []
    } finally {
      raw.close()
    }
  }
  let n = 0
  const client = new pg.Client({
    connectionString: db.options.url,
    options: `-c search_path=${db.options.schema ?? 'public'}`,
  })
  await client.connect()
  try {
    return (
      await client.query(
        text.replace(/\?/g, () => `$${++n}`),
        params,
      )
    ).rows as Record<string, unknown>[]
  } finally {
    await client.end()
  }
}
