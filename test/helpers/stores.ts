import { randomBytes } from 'node:crypto'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import pg from 'pg'
import { afterAll, beforeAll, describe } from 'vitest'
import { openStore, type OpenStoreOptions } from '../../src/storage/open-store.ts'
import type { Store } from '../../src/storage/store.ts'

export type EngineName = 'sqlite' | 'postgres'

/** Every contract test must finish within this: a hang (a deadlock, a lost lock) fails fast. */
export const CONTRACT_TIMEOUT_MS = 5_000

export const TEST_POSTGRES_URL =
  process.env['TEST_POSTGRES_URL'] ?? 'postgres://postgres@127.0.0.1:5432/test'

/** The same URL with any password replaced, for messages. */
const SHOWN_URL = TEST_POSTGRES_URL.replace(/\/\/([^:/@]*):[^@]*@/, '//$1:***@')

async function postgresAnswers(): Promise<boolean> {
  const client = new pg.Client({
    connectionString: TEST_POSTGRES_URL,
    connectionTimeoutMillis: 1500,
  })
  client.on('error', () => {})
  try {
    await client.connect()
    await client.query('select 1')
    return true
  } catch {
    return false
  } finally {
    await client.end().catch(() => {})
  }
}

/**
 * The engines under test: `STORES=sqlite,postgres` names them; by default SQLite plus PostgreSQL
 * when TEST_POSTGRES_URL is set, CI=true, or 127.0.0.1:5432 answers. A named or required
 * PostgreSQL that does not answer makes its suite fail (beforeAll throws), never skip. An
 * unknown name, or with CI=true a STORES that leaves an engine out, fails every suite at load.
 */
async function selectEngines(): Promise<EngineName[]> {
  const named = process.env['STORES']
  const ci = process.env['CI'] === 'true'
  if (named) {
    const names = named.split(',').map((s) => s.trim())
    const unknown = names.filter((s) => s !== 'sqlite' && s !== 'postgres')
    if (unknown.length > 0)
      throw new Error(`STORES names unknown engines: ${unknown.join(', ')} (use sqlite,postgres)`)
    // CI runs every engine: a STORES inherited from the environment must not drop one silently.
    if (ci && !(names.includes('sqlite') && names.includes('postgres')))
      throw new Error(`CI=true runs both engines, but STORES=${named} leaves one out`)
    return names as EngineName[]
  }
  const required = ci || process.env['TEST_POSTGRES_URL'] !== undefined
  return required || (await postgresAnswers()) ? ['sqlite', 'postgres'] : ['sqlite']
}

export const ENGINES: readonly EngineName[] = await selectEngines()

/** One fresh database (SQLite file in a temp dir, or PostgreSQL schema) for one test file. */
export interface TestDatabase {
  engine: EngineName
  /** Options that open this database (for a child process or a reopen). */
  options: OpenStoreOptions
  /** The store the test file shares. */
  store: Store
  /** Opens another store on the same database; closed with the database. */
  open(extra?: Partial<OpenStoreOptions>): Promise<Store>
  dispose(): Promise<void>
}

/** Creates a fresh database on `engine` and opens a store on it. */
export async function createTestDatabase(engine: EngineName): Promise<TestDatabase> {
  const opened: Store[] = []
  let options: OpenStoreOptions
  let cleanup: () => Promise<void>
  if (engine === 'sqlite') {
    const dir = mkdtempSync(join(tmpdir(), 'tresor-store-'))
    options = { sqlitePath: join(dir, 'tresor.db') }
    cleanup = () => Promise.resolve(rmSync(dir, { recursive: true, force: true }))
  } else {
    const schema = `t_${randomBytes(6).toString('hex')}`
    await adminQuery(`create schema ${schema}`)
    options = { url: TEST_POSTGRES_URL, schema, poolSize: 4 }
    cleanup = () => adminQuery(`drop schema if exists ${schema} cascade`)
  }
  const open = async (extra: Partial<OpenStoreOptions> = {}) => {
    const store = await openStore({ ...options, ...extra })
    opened.push(store)
    return store
  }
  const store = await open().catch(async (err: unknown) => {
    await cleanup()
    throw err
  })
  return {
    engine,
    options,
    store,
    open,
    async dispose() {
      await Promise.allSettled(opened.map((s) => s.close()))
      await cleanup()
    },
  }
}

/** Runs one statement on the test PostgreSQL as its admin user (schemas, raw fixes). */
export async function adminQuery(text: string): Promise<void> {
  const client = new pg.Client({
    connectionString: TEST_POSTGRES_URL,
    connectionTimeoutMillis: 3000,
  })
  client.on('error', () => {})
  try {
    await client.connect()
  } catch {
    throw new Error(`PostgreSQL is required for this run but does not answer at ${SHOWN_URL}`)
  }
  try {
    await client.query(text)
  } finally {
    await client.end()
  }
}

/**
 * Declares suite `name` once per engine in ENGINES, each with its own fresh database for the
 * whole file, and a CONTRACT_TIMEOUT_MS timeout on every test inside.
 * @example forEachStore('projects', (db) => { it('…', async () => { db().store … }) })
 */
export function forEachStore(name: string, body: (db: () => TestDatabase) => void): void {
  describe.each(ENGINES)(`${name} [%s]`, { timeout: CONTRACT_TIMEOUT_MS }, (engine) => {
    let current: TestDatabase | undefined
    let failure: unknown
    // A database that cannot be opened fails every test of the suite (reported as failed, not
    // skipped as a throwing beforeAll would make them).
    beforeAll(async () => {
      current = await createTestDatabase(engine).catch((err: unknown) => {
        failure = err
        return undefined
      })
    })
    afterAll(async () => {
      await current?.dispose()
    })
    body(() => {
      if (current) return current
      throw failure instanceof Error
        ? failure
        : new Error(`the ${engine} test database did not open`)
    })
  })
}
