import { randomBytes } from 'node:crypto'
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import BetterSqlite3 from 'better-sqlite3'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import {
  BACKSTOP_PAGES,
  makeWalRoom,
  ROOM_FRAMES,
} from '../../src/storage/dialects/sqlite-checkpointer.ts'
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

  it(
    'a long-lived store makes room in its WAL once; later commits neither grow it nor see it',
    { timeout: 60_000 },
    async () => {
      const path = db.options.sqlitePath ?? ''
      const store = await db.open()
      const s = await seed(store, 'room')
      const blobs: Buffer[] = []
      const append = async () => {
        const sealed = randomBytes(300)
        blobs.push(sealed)
        const n = blobs.length
        await store.transaction((tx) => tx.revisions.append(revision(s.scope, s.keyId, n, sealed)))
      }
      // The worker (and the room) come at the 64th commit of this store.
      for (let i = 0; i < 70; i++) await append()
      const roomy = statSync(`${path}-wal`).size
      expect(roomy).toBeGreaterThanOrEqual(ROOM_FRAMES * (4096 + 24))
      // 130 more small commits (~5 frames each) fit in the room: the file does not grow.
      for (let i = 0; i < 130; i++) await append()
      expect(statSync(`${path}-wal`).size).toBe(roomy)
      const rows = await store.revisions.list(s.scope, { limit: 1000 })
      expect(rows.map((r) => r.number)).toEqual(blobs.map((_, i) => blobs.length - i))
      const raw = new BetterSqlite3(path, { readonly: true })
      try {
        expect(raw.pragma('integrity_check', { simple: true })).toBe('ok')
        expect(
          raw.prepare("select name from sqlite_master where name like 'tresor_%'").all(),
        ).toEqual([])
        const sealed = raw
          .prepare('select sealed from revisions where scope_id = ? order by number')
          .pluck()
          .all(s.env.id) as Buffer[]
        expect(sealed.every((b, i) => b.equals(blobs[i] ?? Buffer.alloc(0)))).toBe(true)
      } finally {
        raw.close()
      }
      await store.close()
    },
  )
})

describe('makeWalRoom', () => {
  let dir: string
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'tresor-wal-room-'))
  })
  afterAll(() => rmSync(dir, { recursive: true, force: true }))

  function database(name: string) {
    const path = join(dir, name)
    const raw = new BetterSqlite3(path)
    raw.pragma('journal_mode = WAL')
    raw.pragma('synchronous = FULL')
    raw.exec('create table t (id integer primary key, v text not null)')
    raw.prepare('insert into t (v) values (?)').run('kept')
    return { path, raw }
  }

  it('lengthens the WAL with frames no reader sees, leaves the database file as it was', () => {
    const { path, raw } = database('grow.db')
    const before = readFileSync(path)
    expect(makeWalRoom(raw, path, 600)).toBe(true)
    expect(statSync(`${path}-wal`).size).toBeGreaterThanOrEqual(600 * (4096 + 24))
    expect(readFileSync(path).equals(before)).toBe(true)
    expect(raw.inTransaction).toBe(false)
    // A second connection, like a reader process, sees the committed rows and nothing else.
    const other = new BetterSqlite3(path, { readonly: true })
    expect(other.prepare('select v from t').pluck().all()).toEqual(['kept'])
    expect(
      other.prepare("select count(*) from sqlite_master where name like 'tresor_%'").pluck().get(),
    ).toBe(0)
    other.close()
    // Commits after it overwrite the room, and read back after a reopen.
    raw.prepare('insert into t (v) values (?)').run('after')
    const size = statSync(`${path}-wal`).size
    expect(makeWalRoom(raw, path, 600)).toBe(false)
    expect(statSync(`${path}-wal`).size).toBe(size)
    raw.close()
    const reopened = new BetterSqlite3(path, { readonly: true })
    expect(reopened.prepare('select v from t order by id').pluck().all()).toEqual(['kept', 'after'])
    expect(reopened.pragma('integrity_check', { simple: true })).toBe('ok')
    reopened.close()
  })

  it("does not wait for another connection's write lock, and leaves the connection as it was", () => {
    const { path, raw } = database('busy.db')
    raw.pragma('busy_timeout = 4321')
    const other = new BetterSqlite3(path)
    other.exec('begin immediate')
    const start = Date.now()
    expect(() => makeWalRoom(raw, path, 600)).toThrow(/locked|busy/i)
    expect(Date.now() - start).toBeLessThan(1000)
    expect(raw.inTransaction).toBe(false)
    expect(raw.pragma('busy_timeout', { simple: true })).toBe(4321)
    other.exec('rollback')
    other.close()
    expect(makeWalRoom(raw, path, 600)).toBe(true)
    raw.close()
  })
})
