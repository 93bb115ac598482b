import { randomBytes } from 'node:crypto'
import { statSync } from 'node:fs'
import BetterSqlite3 from 'better-sqlite3'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { BACKSTOP_PAGES } from '../../src/storage/dialects/sqlite-checkpointer.ts'
import { createTestDatabase, ENGINES, type TestDatabase } from '../helpers/stores.ts'
import { revision, seed } from './seed.ts'

// SQLite only: checkpoints are the engine's own business on PostgreSQL.
describe.skipIf(!ENGINES.includes('sqlite'))('SQLite checkpoints off the writer thread', () => {
  let db: TestDatabase
  beforeAll(async () => {
    db = await createTestDatabase('sqlite')
  })
  afterAll(async () => db.dispose())

  it('a short-lived store starts no worker and keeps the default checkpoint', async () => {
    const store = await db.open()
    const s = await seed(store, 'staging')
    await store.transaction((tx) => tx.revisions.append(revision(s.scope, s.keyId, 1)))
    expect((await store.health()).settings['wal_autocheckpoint']).toBe('1000')
  })

  it(
    'a long stream of large commits keeps the WAL short, and every commit reads back intact',
    { timeout: 120_000 },
    async () => {
      const path = db.options.sqlitePath ?? ''
      const store = await db.open()
      const s = await seed(store)
      // ~10 WAL pages per commit: 1,500 commits write ~15,000 pages, more than the writer's own
      // backstop checkpoint lets the WAL hold, so a bounded WAL means the worker checkpointed
      // and the WAL started over.
      const blobs: Buffer[] = []
      for (let n = 1; n <= 1500; n++) {
        const sealed = randomBytes(36_000)
        blobs.push(sealed)
        await store.transaction((tx) => tx.revisions.append(revision(s.scope, s.keyId, n, sealed)))
      }
      const walPages = statSync(`${path}-wal`).size / 4096
      expect(walPages).toBeLessThan(BACKSTOP_PAGES / 2)
      // The writer's own checkpoint is the far backstop: the worker is the one checkpointing.
      const { settings } = await store.health()
      expect(settings['wal_autocheckpoint']).toBe(String(BACKSTOP_PAGES))
      await store.close()

      const raw = new BetterSqlite3(path, { readonly: true })
      try {
        expect(raw.pragma('integrity_check', { simple: true })).toBe('ok')
        const rows = raw
          .prepare('select number, sealed from revisions where scope_id = ? order by number')
          .all(s.env.id) as { number: number; sealed: Buffer }[]
        expect(rows.map((r) => r.number)).toEqual(blobs.map((_, i) => i + 1))
        expect(rows.every((r, i) => r.sealed.equals(blobs[i] ?? Buffer.alloc(0)))).toBe(true)
      } finally {
        raw.close()
      }
    },
  )
})
