// Literal SQL on the app's database through its own connection (a raw better-sqlite3 handle or a
// pg client), to do what no API allows: edit or delete an audit row, expire a token.
import { join } from 'node:path'
import BetterSqlite3 from 'better-sqlite3'
import pg from 'pg'
import { TEST_POSTGRES_URL, type EngineName } from '../../helpers/stores.ts'

export interface RawTarget {
  engine: EngineName
  dataDir: string
  schema: string | undefined
}

/** Runs one statement; returns its rows (empty for statements that return none). */
export async function rawSql(target: RawTarget, text: string): Promise<Record<string, unknown>[]> {
  if (target.engine === 'sqlite') {
    const raw = new BetterSqlite3(join(target.dataDir, 'tresor.db'))
    try {
      raw.pragma('busy_timeout = 2000')
      const statement = raw.prepare(text)
      if (statement.reader) return statement.all() as Record<string, unknown>[]
      statement.run()
      return []
    } finally {
      raw.close()
    }
  }
  const client = new pg.Client({
    connectionString: TEST_POSTGRES_URL,
    options: `-c search_path=${target.schema ?? 'public'}`,
  })
  await client.connect()
  try {
    return (await client.query(text)).rows as Record<string, unknown>[]
  } finally {
    await client.end()
  }
}
