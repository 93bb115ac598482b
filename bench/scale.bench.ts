// Scale curve: the read latency of one environment (GET …/vars through the real Fastify app, in
// process) when the store holds 10, 1,000, 10,000 and 100,000 variables across 1 → 1,000
// environments, on SQLite and (when it answers) PostgreSQL. The environment read is the same at
// every size (10 variables), so the curve shows what the rest of the store costs it: ideally
// nothing. A second 10-variable store is timed alongside as a control: its ratio to the first is
// the noise of the machine. Writes bench/results/scale.json and scale.svg.
// `npx tsx bench/scale.bench.ts` (SCALE_POSTGRES=0: SQLite only).
import { mkdirSync, writeFileSync } from 'node:fs'
import { cpus, loadavg } from 'node:os'
import { pathToFileURL } from 'node:url'
import { lineChartSvg } from './soak/line-chart.ts'
import {
  openScaleApp,
  postgresAnswers,
  PROBE_VARS,
  seedScale,
  type Engine,
  type ScaleApp,
} from './soak/scale-fixtures.ts'

export interface ScaleResult {
  name: string
  ratio: number
  target: number
  ok: boolean
}

interface Point {
  vars: number
  envs: number
  /** Median over rounds of the mean µs per read in the round. */
  us: number
}

interface Curve {
  points: Point[]
  /** Median round of the largest store / median round of the two 10-variable stores. */
  ratio: number
  /** The same for the two identical 10-variable stores: what noise alone gives. */
  control: number
}

const SIZES = [
  { vars: 10, envs: 1 },
  { vars: 1_000, envs: 10 },
  { vars: 10_000, envs: 100 },
  { vars: 100_000, envs: 1_000 },
]
const TARGET = 1.2
const WARMUP_ROUNDS = 4
const RESULTS = new URL('./results/', import.meta.url)

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? NaN

/** A random order of `0 … n-1`: no store is always timed first (or right after another). */
function shuffled(n: number): number[] {
  const out = Array.from({ length: n }, (_, i) => i)
  for (let i = n - 1; i > 0; i--) {
    const j = Math.floor(Math.random() * (i + 1))
    ;[out[i], out[j]] = [out[j] ?? j, out[i] ?? i]
  }
  return out
}

/** µs per read of each app in each round (rows: rounds), in a new random order each round. */
async function timeRounds(apps: ScaleApp[], rounds: number, reads: number): Promise<number[][]> {
  const table: number[][] = []
  for (let r = 0; r < rounds + WARMUP_ROUNDS; r++) {
    const row: number[] = new Array<number>(apps.length).fill(NaN)
    for (const i of shuffled(apps.length)) {
      const start = process.hrtime.bigint()
      for (let k = 0; k < reads; k++) await apps[i]?.readProbe()
      row[i] = Number(process.hrtime.bigint() - start) / reads / 1000
    }
    // The first rounds warm caches, connections and the JIT; they are not counted.
    if (r >= WARMUP_ROUNDS) table.push(row)
  }
  return table
}

async function curve(engine: Engine): Promise<Curve> {
  const apps: ScaleApp[] = []
  try {
    for (const size of [...SIZES, SIZES[0] ?? { vars: 10, envs: 1 }]) {
      const t0 = Date.now()
      const a = await openScaleApp(engine)
      apps.push(a)
      await seedScale(a, size.vars, size.envs)
      console.log(
        `${engine}: seeded ${size.vars} vars in ${size.envs} envs (${Date.now() - t0} ms)`,
      )
    }
    const table = await timeRounds(apps, 40, 25)
    const col = (i: number) => table.map((row) => row[i] ?? NaN)
    const last = SIZES.length - 1
    return {
      points: SIZES.map((s, i) => ({ ...s, us: median(col(i)) })),
      // Medians over rounds: a slow round (another process took the CPU) weighs nothing. The
      // baseline pools the rounds of both 10-variable stores.
      ratio: median(col(last)) / median([...col(0), ...col(last + 1)]),
      control: median(col(last + 1)) / median(col(0)),
    }
  } finally {
    await Promise.allSettled(apps.map((a) => a.close()))
  }
}

function writeResults(curves: Partial<Record<Engine, Curve>>): void {
  mkdirSync(RESULTS, { recursive: true })
  const machine = { cpus: cpus().length, loadavg: loadavg().map((n) => Number(n.toFixed(2))) }
  const json = { generatedAt: new Date().toISOString(), probeVars: PROBE_VARS, machine, curves }
  writeFileSync(new URL('scale.json', RESULTS), `${JSON.stringify(json, null, 2)}\n`)
  const colors: Record<Engine, string> = { sqlite: '#1f77b4', postgres: '#d62728' }
  const names: Record<Engine, string> = { sqlite: 'SQLite', postgres: 'PostgreSQL' }
  const series = (Object.entries(curves) as [Engine, Curve][]).map(([engine, c]) => ({
    name: `${names[engine]}: ${c.ratio.toFixed(2)}× (noise ${c.control.toFixed(2)}×)`,
    color: colors[engine],
    points: c.points.map((p) => ({ x: p.vars, y: p.us / 1000, label: (p.us / 1000).toFixed(2) })),
  }))
  const svg = lineChartSvg({
    title: `Read of one ${PROBE_VARS}-variable environment vs. variables in the store`,
    xLabel: 'variables in the store (10 in 1 env → 100,000 in 1,000 envs), log scale',
    yLabel: 'median GET …/vars (ms)',
    note:
      `ratio: 100,000-variable store / 10-variable stores; noise: two identical 10-variable ` +
      `stores; ${machine.cpus} CPUs, load ${machine.loadavg[0] ?? '?'}`,
    series,
  })
  writeFileSync(new URL('scale.svg', RESULTS), svg)
}

/** Measures the curve on every engine available, writes the chart, returns largest/smallest. */
export async function run(): Promise<ScaleResult[]> {
  const engines: Engine[] = (await postgresAnswers()) ? ['sqlite', 'postgres'] : ['sqlite']
  const curves: Partial<Record<Engine, Curve>> = {}
  for (const engine of engines) curves[engine] = await curve(engine)
  writeResults(curves)
  return engines.map((engine) => {
    const c = curves[engine]
    const [first, last] = [c?.points[0]?.us ?? NaN, c?.points.at(-1)?.us ?? NaN]
    const ratio = c?.ratio ?? NaN
    return {
      name:
        `scale (${engine}): one env read, 100,000 vars / 10 vars: ${(last / 1000).toFixed(2)} vs ` +
        `${(first / 1000).toFixed(2)} ms (noise control ${c?.control.toFixed(2)}×)`,
      ratio,
      target: TARGET,
      ok: ratio <= TARGET,
    }
  })
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  for (const r of await run()) {
    console.log(
      `${r.ok ? 'ok  ' : 'MISS'} ${r.ratio.toFixed(2)}× (target ≤ ${r.target}×) ${r.name}`,
    )
  }
}
