import { randomBytes } from 'node:crypto'
import { expect, it } from 'vitest'
import type { AppError } from '../../src/core/errors.ts'
import { newId } from '../../src/core/ids.ts'
import BetterSqlite3 from 'better-sqlite3'
import pg from 'pg'
import { forEachStore, type TestDatabase } from '../helpers/stores.ts'
import { expectFailure, revision, seed } from './seed.ts'

forEachStore('revisions', (db) => {
  it('append stores the row and advances the environment head in the same transaction', async () => {
    const { store } = db()
    const s = await seed(store)
    const row = revision(s.scope, s.keyId, 1)
    const stored = await store.transaction((tx) => tx.revisions.append(row))
    expect(stored).toEqual(row)
    expect(await store.revisions.latest(s.scope)).toEqual(row)
    expect((await store.environments.get(s.workspace.id, s.env.id))?.headRevision).toBe(1)
  })

  it('a duplicate revision number is CONFLICT and changes nothing', async () => {
    const { store } = db()
    const s = await seed(store)
    const first = revision(s.scope, s.keyId, 1)
    await store.transaction((tx) => tx.revisions.append(first))
    const err = await store
      .transaction((tx) => tx.revisions.append(revision(s.scope, s.keyId, 1)))
      .catch((e: unknown) => e as AppError)
    expect(err).toMatchObject({ code: 'CONFLICT', meta: { head: 1 } })
    expect(await store.revisions.list(s.scope)).toEqual([expect.objectContaining({ id: first.id })])
  })

  it('a number that skips ahead of head + 1 is CONFLICT (no gaps)', async () => {
    const { store } = db()
    const s = await seed(store)
    const append = store.transaction((tx) => tx.revisions.append(revision(s.scope, s.keyId, 2)))
    await expectFailure(append, 'CONFLICT', 'at revision 0')
    expect(await store.revisions.latest(s.scope)).toBeUndefined()
  })

  it('the same number in another environment is independent', async () => {
    const { store } = db()
    const s = await seed(store)
    const other = await seed(store, 'staging')
    await store.transaction((tx) => tx.revisions.append(revision(s.scope, s.keyId, 1)))
    await store.transaction((tx) => tx.revisions.append(revision(other.scope, other.keyId, 1)))
    expect((await store.revisions.latest(other.scope))?.number).toBe(1)
    expect((await store.revisions.latest(s.scope))?.number).toBe(1)
  })

  it('the project shared document is its own scope with its own head', async () => {
    const { store } = db()
    const s = await seed(store)
    const shared = { ...s.scope, environmentId: null }
    await store.transaction(async (tx) => {
      await tx.revisions.append(revision(shared, s.keyId, 1))
      await tx.revisions.append(revision(shared, s.keyId, 2))
      await tx.revisions.append(revision(s.scope, s.keyId, 1))
    })
    expect((await store.projects.get(s.workspace.id, s.project.id))?.headRevision).toBe(2)
    expect((await store.environments.get(s.workspace.id, s.env.id))?.headRevision).toBe(1)
    expect((await store.revisions.list(shared)).map((r) => r.number)).toEqual([2, 1])
    expect((await store.revisions.list(s.scope)).map((r) => r.number)).toEqual([1])
  })

  it('get, getById, list paging and metadata without the sealed blob', async () => {
    const { store } = db()
    const s = await seed(store)
    const rows = [1, 2, 3, 4, 5].map((n) => revision(s.scope, s.keyId, n))
    await store.transaction(async (tx) => {
      for (const r of rows) await tx.revisions.append(r)
    })
    expect(await store.revisions.get(s.scope, 3)).toEqual(rows[2])
    expect(await store.revisions.getById(s.workspace.id, rows[1]?.id ?? '')).toEqual(rows[1])
    const page = await store.revisions.list(s.scope, { limit: 2, beforeNumber: 5 })
    expect(page.map((r) => r.number)).toEqual([4, 3])
    expect(page[0]).not.toHaveProperty('sealed')
    expect(page[0]).toMatchObject({ changedKeys: ['A'], keyIndex: [{ key: 'A', kind: 'secret' }] })
  })

  it("a revision that keeps its parent's key index reads back with it everywhere, stored once", async () => {
    const { store } = db()
    const s = await seed(store)
    const indexA = [{ key: 'A', kind: 'secret' as const }]
    const indexB = [
      { key: 'A', kind: 'config' as const },
      { key: 'B', kind: 'secret' as const },
    ]
    // 1 sets A; 2-39 keep it; 40 adds B; 41-70 keep that. 32 and 64 store theirs in full anyway.
    const rows = Array.from({ length: 70 }, (_, i) => {
      const n = i + 1
      const row = revision(s.scope, s.keyId, n)
      return { ...row, keyIndex: n < 40 ? indexA : indexB, keyIndexAsParent: n !== 1 && n !== 40 }
    })
    for (const row of rows) {
      const stored = await store.transaction((tx) => tx.revisions.append(row))
      expect(stored).not.toHaveProperty('keyIndexAsParent')
      expect(stored.keyIndex).toEqual(row.keyIndex)
    }
    const expected = (n: number) => (n < 40 ? indexA : indexB)
    expect((await store.revisions.latest(s.scope))?.keyIndex).toEqual(indexB)
    for (const n of [1, 2, 31, 32, 33, 39, 40, 41, 63, 64, 65, 70]) {
      expect((await store.revisions.get(s.scope, n))?.keyIndex, `revision ${n}`).toEqual(
        expected(n),
      )
      const id = rows[n - 1]?.id ?? ''
      expect((await store.revisions.getById(s.workspace.id, id))?.keyIndex).toEqual(expected(n))
    }
    // Pages that start, end and cross where an index is stored, each row resolved on its own.
    for (const [limit, before] of <[number, number][]>[
      [100, 71],
      [5, 42],
      [3, 33],
      [1, 39],
      [7, 71],
      [10, 12],
    ]) {
      const page = await store.revisions.list(s.scope, { limit, beforeNumber: before })
      expect(page.length).toBeGreaterThan(0)
      expect(page.map((r) => [r.number, r.keyIndex])).toEqual(
        page.map((r) => [r.number, expected(r.number)]),
      )
    }
    const listed = await store.revisions.list(s.scope, { limit: 100 })
    expect(listed.map((r) => r.number)).toEqual(rows.map((r) => r.number).reverse())
    // Callers get copies: changing one read leaves the next read as stored.
    const first = await store.revisions.get(s.scope, 45)
    first?.keyIndex.push({ key: 'Z', kind: 'config' })
    expect((await store.revisions.get(s.scope, 45))?.keyIndex).toEqual(indexB)
    expect(await storedKeyIndexes(db(), s.scope.environmentId ?? '')).toEqual(
      rows.map((r) =>
        r.keyIndexAsParent && r.number % 32 !== 0 ? '' : JSON.stringify(r.keyIndex),
      ),
    )
  })

  it('latestSealedUnless withholds the blob only when the head is the revision the caller holds', async () => {
    const { store } = db()
    const s = await seed(store)
    const other = await seed(store)
    const rows = [1, 2].map((n) => revision(s.scope, s.keyId, n))
    await store.transaction(async (tx) => {
      for (const r of rows) await tx.revisions.append(r)
    })
    const [first, head] = rows as [(typeof rows)[0], (typeof rows)[0]]
    const identity = {
      ...{ id: head.id, workspaceId: head.workspaceId, projectId: head.projectId },
      ...{ environmentId: head.environmentId, number: 2, createdAt: head.createdAt },
      keyId: head.keyId,
    }
    const unless = (known: string | null) =>
      store.transaction((tx) => tx.revisions.latestSealedUnless(s.scope, known))
    expect(await unless(head.id)).toEqual({ ...identity, sealed: null })
    for (const known of [null, first.id, 'rev_unknown']) {
      const r = await unless(known)
      expect(r).toEqual({ ...identity, sealed: expect.any(Buffer) as Buffer })
      expect(Buffer.compare(r?.sealed ?? Buffer.alloc(0), head.sealed)).toBe(0)
    }
    // Another workspace's scope sees nothing, even when it names the head's id.
    const foreign = { ...s.scope, workspaceId: other.workspace.id }
    expect(
      await store.transaction((tx) => tx.revisions.latestSealedUnless(foreign, head.id)),
    ).toBeUndefined()
    expect(
      await store.transaction((tx) => tx.revisions.latestSealedUnless(other.scope, null)),
    ).toBeUndefined()
  })

  it('another workspace cannot read a revision by id or scope', async () => {
    const { store } = db()
    const a = await seed(store)
    const b = await seed(store)
    const row = revision(a.scope, a.keyId, 1)
    await store.transaction((tx) => tx.revisions.append(row))
    expect(await store.revisions.getById(b.workspace.id, row.id)).toBeUndefined()
    expect(
      await store.revisions.latest({ ...a.scope, workspaceId: b.workspace.id }),
    ).toBeUndefined()
  })

  it('revisions are immutable: no delete path, and the only update swaps the ciphertext', async () => {
    const { store } = db()
    await store.transaction((tx) => {
      // `reseal` (data-key rotation) replaces a blob by the same plaintext under a newer key,
      // by compare-and-set on the key id; nothing can change a revision's content.
      expect(Object.keys(tx.revisions).sort()).toEqual([
        'append',
        'countByKey',
        'get',
        'getById',
        'latest',
        'latestSealed',
        'latestSealedUnless',
        'list',
        'listSealedByKey',
        'reseal',
      ])
      return Promise.resolve()
    })
  })

  it('a sealed blob round-trips byte for byte (0x00 and every byte value, many sizes)', async () => {
    const { store } = db()
    const s = await seed(store)
    const all = Buffer.from(Array.from({ length: 256 }, (_, i) => i))
    const blobs = [
      all,
      Buffer.alloc(1),
      Buffer.alloc(17),
      randomBytes(1),
      randomBytes(4096),
      randomBytes(300_000),
    ]
    blobs[2]?.fill(0)
    await store.transaction(async (tx) => {
      for (const [i, b] of blobs.entries())
        await tx.revisions.append(revision(s.scope, s.keyId, i + 1, b))
    })
    for (const [i, b] of blobs.entries()) {
      const got = await store.revisions.get(s.scope, i + 1)
      expect(Buffer.from(got?.sealed ?? []).equals(b)).toBe(true)
    }
  })

  it('a Buffer that views part of a larger buffer stores only its own bytes', async () => {
    const { store } = db()
    const s = await seed(store)
    const view = Buffer.from([9, 9, 0, 1, 2, 0, 9]).subarray(2, 6)
    await store.transaction((tx) => tx.revisions.append(revision(s.scope, s.keyId, 1, view)))
    const got = await store.revisions.latest(s.scope)
    expect([...(got?.sealed ?? [])]).toEqual([0, 1, 2, 0])
  })

  it('an unknown data key or environment is NOT_FOUND', async () => {
    const { store } = db()
    const s = await seed(store)
    const badKey = store.transaction((tx) =>
      tx.revisions.append(revision(s.scope, 'dk_missing', 1)),
    )
    await expect(badKey).rejects.toMatchObject({ code: 'NOT_FOUND' })
    const ghost = { ...s.scope, environmentId: newId('environment') }
    const badEnv = store.transaction((tx) => tx.revisions.append(revision(ghost, s.keyId, 1)))
    await expectFailure(badEnv, 'NOT_FOUND', ghost.environmentId)
    expect(await store.revisions.latest(s.scope)).toBeUndefined()
  })
})

/** The key_index column of a document's revisions as stored, oldest first (read past the store). */
async function storedKeyIndexes(t: TestDatabase, scopeId: string): Promise<string[]> {
  const sql = 'select key_index from revisions where scope_id = $1 order by number'
  if (t.options.sqlitePath !== undefined) {
    const raw = new BetterSqlite3(t.options.sqlitePath, { readonly: true })
    try {
      const rows = raw.prepare(sql.replace('$1', '?')).all(scopeId) as { key_index: string }[]
      return rows.map((r) => r.key_index)
    } finally {
      raw.close()
    }
  }
  const client = new pg.Client({ connectionString: t.options.url })
  await client.connect()
  try {
    await client.query(`set search_path to ${t.options.schema ?? 'public'}`)
    const { rows } = await client.query<{ key_index: string }>(sql, [scopeId])
    return rows.map((r) => r.key_index)
  } finally {
    await client.end()
  }
}
