/**
 * Start-up cost of `tresor run -- true` against a local server (100 variables, one release),
 * against `node -e 0` measured in the same run, interleaved so that machine noise hits both
 * alike (target ≤ 1.4×, from issue 7). Also shown: `--mask`, which adds the variable listing.
 * Run: `npx tsx bench/run.bench.ts` (after `node scripts/build.mjs`).
 */
import { spawnSync } from 'node:child_process'
import { join } from 'node:path'
import { withServer } from './bench-server.ts'

const root = new URL('..', import.meta.url).pathname
const bin = join(root, 'bin/tresor.js')
const RUNS = 21
const TOKEN = 'tresor_bench_owner_token_run_0123456789abcdef'

interface BenchResult {
  name: string
  ratio: number
  target: number
  ok: boolean
}

interface Cmd {
  args: string[]
  env?: NodeJS.ProcessEnv
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? NaN

function wallMs({ args, env }: Cmd): number {
  const start = process.hrtime.bigint()
  const out = spawnSync('node', args, { env: env ?? process.env, stdio: 'ignore' })
  if (out.status !== 0) throw new Error(`node ${args.slice(1, 2).join(' ')} exited ${out.status}`)
  return Number(process.hrtime.bigint() - start) / 1e6
}

// CPU time (perf's task-clock) of the CLI process alone: steadier than wall time when other
// work shares the machine, though it leaves out the wait for the server's answer.
const hasPerf = spawnSync('perf', ['stat', '-x,', '-e', 'task-clock', 'true']).status === 0

function cpuMs({ args, env }: Cmd): number {
  const out = spawnSync('perf', ['stat', '-x,', '-e', 'task-clock', '--', 'node', ...args], {
    env: env ?? process.env,
    encoding: 'utf8',
  })
  const m = /^([\d.]+),msec,task-clock/m.exec(out.stderr)
  if (out.status !== 0 || !m?.[1]) throw new Error('perf stat failed')
  return Number(m[1])
}

/** Medians of `measure` over a and b, run alternately after one warm-up each. */
function compare(a: Cmd, b: Cmd, measure = wallMs): [number, number] {
  measure(a)
  measure(b)
  const [ta, tb]: number[][] = [[], []]
  for (let i = 0; i < RUNS; i++) {
    ta?.push(measure(a))
    tb?.push(measure(b))
  }
  return [median(ta ?? []), median(tb ?? [])]
}

async function seed(url: string): Promise<void> {
  const headers = { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' }
  const post = (path: string, body: unknown) =>
    fetch(`${url}${path}`, { method: 'POST', headers, body: JSON.stringify(body) })
  await post('/v1/projects', { slug: 'bench' })
  const E = `${url}/v1/projects/bench/environments/production`
  const env = Object.fromEntries(
    Array.from({ length: 100 }, (_, i) => [`KEY_${i}`, `value-${i}-${'x'.repeat(i % 40)}`]),
  )
  const secrets = Object.keys(env).filter((_, i) => i % 4 === 0)
  await fetch(`${E}/vars`, { method: 'PATCH', headers, body: JSON.stringify({ env, secrets }) })
  const res = await fetch(`${E}/releases`, { method: 'POST', headers, body: '{}' })
  if (res.status !== 201) throw new Error(`release failed: HTTP ${res.status}`)
}

/** The ratios of this file. */
export async function run(): Promise<BenchResult[]> {
  return withServer(bin, TOKEN, async (url) => {
    await seed(url)
    const env = { ...process.env, TRESOR_URL: url, TRESOR_TOKEN: TOKEN }
    const base = [bin, 'run', '-p', 'bench', '-e', 'production']
    const node = { args: ['-e', '0'] }
    const rows: BenchResult[] = []
    const row = (name: string, target: number, [a, b]: [number, number]) => {
      console.log(`${name}: ${a.toFixed(1)} ms vs ${b.toFixed(1)} ms`)
      rows.push({ name, ratio: a / b, target, ok: a / b <= target })
    }
    for (const [name, extra, target] of [
      ['tresor run -- true vs node -e 0 (100 vars)', [], 1.4],
      ['tresor run --mask -- true vs node -e 0 (100 vars)', ['--mask'], 1.6],
    ] as const) {
      const cmd = { args: [...base, ...extra, '--', 'true'], env }
      row(name, target, compare(cmd, node))
      if (hasPerf) row(`${name} (cpu)`, target, compare(cmd, node, cpuMs))
    }
    return rows
  })
}

if (import.meta.url === `file://${process.argv[1]}`) {
  for (const r of await run())
    console.log(
      `${r.name}: ratio ${r.ratio.toFixed(2)} (target ${r.target}) ${r.ok ? 'ok' : 'MISSED'}`,
    )
}
