// Store benchmarks on SQLite in a temp dir: `npx tsx bench/store.bench.ts`. Each Tresor figure
// is a ratio to a raw better-sqlite3 baseline measured in the same run (research/performance.md
// §4); rounds alternate between the contenders and the median round of each is compared.
import { randomBytes } from 'node:crypto'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { pathToFileURL } from 'node:url'
import { newId } from '../src/core/ids.ts'
import type { DocumentScope, Store } from '../src/storage/store.ts'
import {
  appendRevision,
  DOC_BYTES,
  fillMany,
  rawSameTransaction,
  rawVars,
  seedStore,
} from './store-bench-fixtures.ts'

export interface StoreBenchResult {
  name: string
  /** Tresor time per operation divided by the baseline's (lower is better). */
  ratio: number
  target: number
  ok: boolean
}

/**
 * Median µs/op of each of `fns` over `rounds` interleaved rounds of `ops` calls (after a warm-up
 * round). Many short interleaved rounds keep a shared machine's bursts from favouring one side.
 */
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

/** (a) One document write as a service does it: revision + head + audit row, one commit. */
async function writeTransaction(store: Store, scope: DocumentScope, keyId: string): Promise<void> {
  await store.transaction(async (tx) => {
    const env = await tx.environments.lockForUpdate(scope.workspaceId, scope.environmentId ?? '')
    await appendRevision(tx, scope, keyId, env.headRevision + 1)
    const head = await tx.workspaces.lockAuditHead(scope.workspaceId)
    const { workspaceId, projectId, environmentId } = scope
    await tx.auditEvents.append({
      ...{ id: newId('audit'), workspaceId, seq: head.seq + 1, at: 'now', actorId: 'mem_b' },
      ...{ actorKind: 'member', action: 'vars.set', keys: ['KEY_1'], projectId, environmentId },
      ...{ outcome: 'success', ip: null, requestId: null, detail: {}, prevHash: head.hash },
      hash: randomBytes(32).toString('hex'),
    })
  })
}

const us = (n: number | undefined) => `${(n ?? NaN).toFixed(0)} µs`
const ratio = (a: number | undefined, b: number | undefined) => (a ?? NaN) / (b ?? NaN)

/** Runs the three store benchmarks and returns their ratios (lower is better). */
export async function run(): Promise<StoreBenchResult[]> {
  const dir = mkdtempSync(join(tmpdir(), 'tresor-bench-'))
  const stores: Store[] = []
  try {
    const raw = rawVars(dir)
    const main = await seedStore(join(dir, 'tresor.db'), 100)
    const floor = await seedStore(join(dir, 'floor.db'), 100)
    await floor.store.close()
    stores.push(main.store)
    const rawTx = rawSameTransaction(join(dir, 'floor.db'), floor.scope, floor.keyId)
    const insert = raw.prepare('insert into vars values (?, ?, ?, 1, ?)')
    let i = 0
    const [tWrite, rWrite, fWrite] = await timeRounds(100, 15, [
      () => writeTransaction(main.store, main.scope, main.keyId),
      () => insert.run('env_write', `KEY_${i++}`, randomBytes(68), 'now'),
      rawTx,
    ])
    const select = raw.prepare('select key, value from vars where env_id = ?')
    const [tRead, rRead] = await timeRounds(500, 21, [
      () => main.store.revisions.latest(main.scope),
      () => select.all('env_read'),
    ])
    const big = await seedStore(join(dir, 'big.db'), 100)
    stores.push(big.store)
    const envIds = fillMany(join(dir, 'big.db'), big.scope, big.keyId, 999, 100)
    let k = 0
    const [tSmall, tBig] = await timeRounds(500, 41, [
      () => main.store.revisions.latest(main.scope),
      () => big.store.revisions.latest({ ...big.scope, environmentId: envIds[k++ % 999] ?? '' }),
    ])
    raw.close()
    const result = (name: string, r: number, target: number) => ({
      name,
      ratio: r,
      target,
      ok: r <= target,
    })
    return [
      result(
        `(a) revision+head+audit tx vs raw single-row FULL insert tx: ${us(tWrite)} vs ${us(rWrite)} ` +
          `(the same statements in raw SQL: ${us(fWrite)}, ${ratio(fWrite, rWrite).toFixed(2)}×)`,
        ratio(tWrite, rWrite),
        2,
      ),
      result(
        `(b) latest revision row (${DOC_BYTES} B blob) vs raw SELECT of 100 rows: ${us(tRead)} vs ${us(rRead)}`,
        ratio(tRead, rRead),
        1,
      ),
      result(
        `(c) latest revision with 1,000 envs × 100 revisions vs 1 env: ${us(tBig)} vs ${us(tSmall)}`,
        ratio(tBig, tSmall),
        1.2,
      ),
    ]
  } finally {
    await Promise.allSettled(stores.map((s) => s.close()))
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
