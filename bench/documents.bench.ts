// Document service benchmarks on SQLite in a temp dir: `npx tsx bench/documents.bench.ts`. Every
// Tresor figure goes through `documents.commit` / `documents.read` (seal or open, revision row,
// audit row) and is a ratio to a raw better-sqlite3 baseline measured in the same run: rounds
// alternate between the contenders and the median round of each is compared.
import { randomBytes } from 'node:crypto'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { pathToFileURL } from 'node:url'
import { rawVars, seedTresor, setOne, VARS, type Tresor } from './documents-bench-fixtures.ts'

export interface DocumentsBenchResult {
  name: string
  /** Tresor time per operation divided by the baseline's (lower is better). */
  ratio: number
  target: number
  ok: boolean
}

/** Median µs/op of each of `fns` over `rounds` interleaved rounds of `ops` calls, after a warm-up. */
async function timeRounds(ops: number, rounds: number, fns: (() => unknown)[]): Promise<number[]> {
  const samples: number[][] = fns.map(() => [])
  for (let r = 0; r <= rounds; r++) {
    for (const [i, fn] of fns.entries()) {
      const start = process.hrtime.bigint()
      for (let k = 0; k < ops; k++) {
        const out = fn()
        if (out instanceof Promise) await out
      }
      if (r > 0) samples[i]?.push(Number(process.hrtime.bigint() - start) / ops / 1000)
    }
  }
  return samples.map((s) => s.sort((a, b) => a - b)[Math.floor(s.length / 2)] ?? NaN)
}

const us = (n: number | undefined) => `${(n ?? NaN).toFixed(0)} µs`
const result = (name: string, ratio: number, target: number): DocumentsBenchResult => ({
  name,
  ratio,
  target,
  ok: ratio <= target,
})

/** Runs the three document benchmarks in one process and returns their ratios. */
export async function run(): Promise<DocumentsBenchResult[]> {
  const dir = mkdtempSync(join(tmpdir(), 'tresor-docbench-'))
  const open: Tresor[] = []
  try {
    const raw = rawVars(dir)
    const one = await seedTresor(join(dir, 'one.db'), 1)
    open.push(one)
    const scope = one.scopes[0]
    if (scope === undefined) throw new Error('no environment')
    const insert = raw.prepare('insert into vars values (?, ?, ?, 1, ?)')
    let n = 0
    const [tWrite, rWrite] = await timeRounds(10, 40, [
      () => setOne(one, scope, `APP_SETTING_${n++ % VARS}`),
      () => insert.run('env_write', `KEY_${n++}`, randomBytes(68), new Date().toISOString()),
    ])
    const select = raw.prepare('select key, value from vars where env_id = ?')
    const [tRead, rRead] = await timeRounds(100, 40, [
      () => one.documents.read(scope),
      () => select.all('env_read'),
    ])
    const many = await seedTresor(join(dir, 'many.db'), 1000)
    open.push(many)
    let k = 0
    const [tOne, tMany] = await timeRounds(100, 40, [
      () => one.documents.read(scope),
      () => many.documents.read(many.scopes[k++ % many.scopes.length] ?? scope),
    ])
    raw.close()
    return [
      result(
        `(a) documents.commit of 1 var (seal+revision+audit) vs raw FULL INSERT: ${us(tWrite)} vs ${us(rWrite)}`,
        (tWrite ?? NaN) / (rWrite ?? NaN),
        2,
      ),
      result(
        `(b) documents.read of ${VARS} vars (1 row, 1 open) vs raw SELECT of ${VARS} rows: ${us(tRead)} vs ${us(rRead)}`,
        (tRead ?? NaN) / (rRead ?? NaN),
        1,
      ),
      result(
        `(c) documents.read with 1,000 envs × ${VARS} vars vs 1 env: ${us(tMany)} vs ${us(tOne)}`,
        (tMany ?? NaN) / (tOne ?? NaN),
        1.2,
      ),
    ]
  } finally {
    await Promise.allSettled(open.map((t) => t.store.close()))
    rmSync(dir, { recursive: true, force: true })
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  for (const r of await run()) {
    console.log(
      `${r.ok ? 'ok  ' : 'MISS'} ${r.ratio.toFixed(2)}× (target ≤ ${r.target}×) ${r.name}`,
    )
  }
}
