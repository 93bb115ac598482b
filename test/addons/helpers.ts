// The real PostgreSQL server the built-in postgres add-on provisions on (trust auth on
// 127.0.0.1 here). Every test run names its databases and roles with its own prefix, so the
// afterAll check can prove nothing of this run is left behind.
import { randomBytes } from 'node:crypto'
import pg from 'pg'
import { scramVerifier } from '../../src/services/addons/scram.ts'

export const ADDON_ADMIN_URL =
  process.env['TEST_ADDON_POSTGRES_URL'] ?? 'postgres://postgres@127.0.0.1:5432/postgres'

/** A fresh prefix for one test file: `tta_<hex>_`. */
export const newPrefix = () => `tta_${randomBytes(4).toString('hex')}_`

/** True when the add-on server answers; under CI=true a missing server is a failure, not a skip. */
export async function addonServerAnswers(): Promise<boolean> {
  const client = new pg.Client({ connectionString: ADDON_ADMIN_URL, connectionTimeoutMillis: 1500 })
  client.on('error', () => {})
  try {
    await client.connect()
    await client.query('select 1')
    return true
  } catch {
    if (process.env['CI'] === 'true')
      throw new Error('CI=true: the add-on tests need PostgreSQL at ' + ADDON_ADMIN_URL)
    return false
  } finally {
    await client.end().catch(() => {})
  }
}

/** Runs `fn` on a connection to `url` (a database URL as given to apps, or the admin's). */
export async function withDb<T>(url: string, fn: (c: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url })
  client.on('error', () => {})
  await client.connect()
  try {
    return await fn(client)
  } finally {
    await client.end().catch(() => {})
  }
}

/** The databases and roles whose names start with `prefix`. */
export async function leftovers(prefix: string): Promise<{ databases: string[]; roles: string[] }> {
  return withDb(ADDON_ADMIN_URL, async (c) => {
    const like = `${prefix.replaceAll('_', '\\_')}%`
    const dbs = await c.query<{ n: string }>(
      'select datname as n from pg_database where datname like $1 order by 1',
      [like],
    )
    const roles = await c.query<{ n: string }>(
      'select rolname as n from pg_roles where rolname like $1 order by 1',
      [like],
    )
    return { databases: dbs.rows.map((r) => r.n), roles: roles.rows.map((r) => r.n) }
  })
}

/** Drops whatever a failed run left (only names with this run's prefix). */
export async function dropLeftovers(prefix: string): Promise<void> {
  const left = await leftovers(prefix)
  await withDb(ADDON_ADMIN_URL, async (c) => {
    for (const d of left.databases) await c.query(`drop database if exists "${d}" with (force)`)
    for (const r of left.roles) await c.query(`drop role if exists "${r}"`)
  })
}

/**
 * True when the server would accept the URL's password for its role: checked against the SCRAM
 * verifier in pg_authid (the test server trusts 127.0.0.1, so a login alone proves nothing).
 */
export async function passwordAccepted(url: string): Promise<boolean> {
  const u = new URL(url)
  const role = decodeURIComponent(u.username)
  const stored = await withDb(ADDON_ADMIN_URL, async (c) => {
    const r = await c.query<{ p: string | null }>(
      'select rolpassword as p from pg_authid where rolname = $1',
      [role],
    )
    return r.rows[0]?.p ?? null
  })
  const m = /^SCRAM-SHA-256\$(\d+):([^$]+)\$/.exec(stored ?? '')
  if (stored === null || m?.[1] === undefined || m[2] === undefined) return false
  const again = scramVerifier(
    decodeURIComponent(u.password),
    Buffer.from(m[2], 'base64'),
    Number(m[1]),
  )
  return again === stored
}
