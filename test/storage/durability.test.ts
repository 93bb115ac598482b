import { statSync } from 'node:fs'
import BetterSqlite3 from 'better-sqlite3'
import { expect, it } from 'vitest'
import { ROOM_FRAMES } from '../../src/storage/dialects/sqlite-checkpointer.ts'
import { forEachStore } from '../helpers/stores.ts'
import { startFixture } from './child.ts'
import { sealedFor } from './fixtures/append-loop.ts'
import { seed } from './seed.ts'

/** Starts the append loop, SIGKILLs it after `target` acknowledgements, returns what it acked. */
async function killMidStream(options: string, seeded: string, target: number): Promise<number[]> {
  const child = startFixture('append-loop', [options, seeded])
  const acked: number[] = []
  let pending = ''
  let stderr = ''
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()))
  const exited = new Promise<NodeJS.Signals | null>((resolve) =>
    child.on('exit', (_c, sig) => resolve(sig)),
  )
  child.stdout.on('data', (d: Buffer) => {
    pending += d.toString()
    const lines = pending.split('\n')
    pending = lines.pop() ?? ''
    for (const line of lines) acked.push(Number(line))
    if (acked.length >= target) child.kill('SIGKILL')
  })
  const signal = await exited
  if (signal !== 'SIGKILL') throw new Error(`the append loop ended by itself: ${stderr}`)
  return acked
}

forEachStore('durability', (db) => {
  it(
    'every revision acknowledged before a SIGKILL is present, intact, after reopening (3 rounds)',
    { timeout: 30_000 },
    async () => {
      const t = db()
      const s = await seed(t.store)
      const acked: number[] = []
      for (let round = 0; round < 3; round++) {
        // A random stopping point, so the kill lands at varying moments of a transaction. The
        // last round runs past the commit at which a SQLite store makes room in its WAL (frames
        // without a commit mark), so a crash also finds that room in the WAL.
        const target = (round === 2 ? 90 : 20) + Math.floor(Math.random() * 40)
        const got = await killMidStream(JSON.stringify(t.options), JSON.stringify(s), target)
        expect(got.length).toBeGreaterThanOrEqual(target)
        expect(got).toEqual(got.map((_, i) => (got[0] ?? 0) + i))
        expect(got[0]).toBeGreaterThan(acked.at(-1) ?? 0)
        acked.push(...got)
      }
      if (t.engine === 'sqlite') {
        const wal = statSync(`${t.options.sqlitePath ?? ''}-wal`).size
        expect(wal).toBeGreaterThanOrEqual(ROOM_FRAMES * (4096 + 24))
      }
      if (t.engine === 'sqlite') {
        const raw = new BetterSqlite3(t.options.sqlitePath ?? '', { readonly: true })
        expect(raw.pragma('integrity_check', { simple: true })).toBe('ok')
        const room = raw.prepare("select name from sqlite_master where name like 'tresor_wal%'")
        expect(room.all()).toEqual([])
        raw.close()
      }
      const reopened = await t.open()
      const head = (await reopened.environments.get(s.workspace.id, s.env.id))?.headRevision ?? 0
      expect(head).toBeGreaterThanOrEqual(acked.at(-1) ?? 1)
      for (const n of acked) {
        const rev = await reopened.revisions.get(s.scope, n)
        expect(Buffer.from(rev?.sealed ?? []).equals(sealedFor(n))).toBe(true)
      }
      // Nothing beyond the head and no gap below it: each crash left a consistent history.
      const all = await reopened.revisions.list(s.scope, { limit: 1000 })
      expect(all.map((r) => r.number)).toEqual(Array.from({ length: head }, (_, i) => head - i))
    },
  )
})
