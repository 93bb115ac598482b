import { randomBytes } from 'node:crypto'
import { expect, it } from 'vitest'
import { UNIQUE_KEYS } from '../../src/storage/kysely/constraints.ts'
import { LATEST_VERSION } from '../../src/storage/kysely/migrations/index.ts'
import { adminQuery, forEachStore } from '../helpers/stores.ts'
import { raceFixtures } from './child.ts'
import { rawExec, rawRows } from './raw.ts'
import { revision, seed } from './seed.ts'

forEachStore('migrations and engine settings', (db) => {
  it('opening an up-to-date database again migrates nothing and keeps the data', async () => {
    const t = db()
    const s = await seed(t.store)
    const again = await t.open()
    const third = await t.open()
    expect((await again.health()).schemaVersion).toBe(LATEST_VERSION)
    expect((await third.health()).schemaVersion).toBe(LATEST_VERSION)
    expect(await again.projects.get(s.workspace.id, s.project.id)).toEqual(s.project)
  })

  it('a database with a newer schema version is refused with SCHEMA_TOO_NEW', async () => {
    const t = db()
    const newer = LATEST_VERSION + 5
    await rawExec(
      t,
      `insert into schema_version (version, name, applied_at) values (${newer}, 'future', 'x')`,
    )
    try {
      await expect(t.open()).rejects.toMatchObject({
        code: 'SCHEMA_TOO_NEW',
        message: `database schema version ${newer} is newer than this Tresor (${LATEST_VERSION}); upgrade Tresor`,
      })
    } finally {
      await rawExec(t, `delete from schema_version where version = ${newer}`)
    }
    expect((await (await t.open()).health()).schemaVersion).toBe(LATEST_VERSION)
  })

  it(
    'three processes opening one fresh database at once all succeed (one migrates)',
    { timeout: 20_000 },
    async () => {
      const t = db()
      const schema = `${t.options.schema ?? ''}_fresh`
      const fresh =
        t.engine === 'sqlite'
          ? { sqlitePath: `${t.options.sqlitePath ?? ''}.fresh` }
          : { ...t.options, schema }
      try {
        const outs = await raceFixtures('open-store', [JSON.stringify(fresh)], 3)
        expect(outs).toEqual([1, 2, 3].map(() => `${LATEST_VERSION}\n`))
      } finally {
        if (t.engine === 'postgres') await adminQuery(`drop schema if exists ${schema} cascade`)
      }
    },
  )

  it('durability settings: SQLite WAL + synchronous FULL + foreign keys; PostgreSQL synchronous commit', async () => {
    const t = db()
    const h = await t.store.health()
    expect(h.engine).toBe(t.engine)
    if (t.engine === 'sqlite') {
      expect(h.settings).toMatchObject({
        journal_mode: 'wal',
        synchronous: 'FULL',
        foreign_keys: '1',
      })
    } else {
      expect(h.settings).toMatchObject({
        synchronous_commit: 'on',
        fsync: 'on',
        schema: t.options.schema,
      })
    }
  })

  it('every unique index the migrations create is named in UNIQUE_KEYS with its table and columns', async () => {
    const t = db()
    let found: { name: string; table: string; columns: string[] }[]
    if (t.engine === 'sqlite') {
      const indexes = await rawRows(
        t,
        "select name, tbl_name as tbl from sqlite_master where type = 'index' and name like 'ux\\_%' escape '\\'",
      )
      found = []
      for (const ix of indexes) {
        const cols = await rawRows(t, `select name from pragma_index_info('${String(ix['name'])}')`)
        found.push({
          name: String(ix['name']),
          table: String(ix['tbl']),
          columns: cols.map((c) => String(c['name'])),
        })
      }
    } else {
      const indexes = await rawRows(
        t,
        `select indexname, tablename, indexdef from pg_indexes
          where schemaname = '${t.options.schema ?? 'public'}' and indexname like 'ux\\_%'`,
      )
      found = indexes.map((ix) => ({
        name: String(ix['indexname']),
        table: String(ix['tablename']),
        columns: (/\(([^)]*)\)/.exec(String(ix['indexdef']))?.[1] ?? '')
          .split(',')
          .map((c) => c.trim().replace(/"/g, '')),
      }))
    }
    const byName = (a: { name: string }, b: { name: string }) => a.name.localeCompare(b.name)
    const declared = UNIQUE_KEYS.map((k) => ({
      name: k.name,
      table: k.table,
      columns: [...k.columns],
    }))
    expect(found.sort(byName)).toEqual(declared.sort(byName))
  })

  it('the (scope, number) unique index backs the head check: a rewound head still cannot duplicate', async () => {
    const t = db()
    const s = await seed(t.store)
    await t.store.transaction((tx) => tx.revisions.append(revision(s.scope, s.keyId, 1)))
    await rawExec(t, `update environments set head_revision = 0 where id = '${s.env.id}'`)
    const dup = t.store.transaction((tx) =>
      tx.revisions.append(revision(s.scope, s.keyId, 1, randomBytes(8))),
    )
    await expect(dup).rejects.toMatchObject({
      code: 'CONFLICT',
      message: 'this revision number already exists for the document',
    })
    expect((await t.store.environments.get(s.workspace.id, s.env.id))?.headRevision).toBe(0)
  })

  it('a closed store answers UNAVAILABLE, never a raw driver error', async () => {
    const t = db()
    const extra = await t.open()
    await extra.close()
    await expect(extra.workspaces.list()).rejects.toMatchObject({ code: 'UNAVAILABLE' })
    await expect(extra.transaction(() => Promise.resolve())).rejects.toMatchObject({
      code: 'UNAVAILABLE',
    })
  })
})
