/**
 * Start-up cost of the built `tresor` binary, against baselines measured in the same run,
 * interleaved so that machine noise hits both sides alike. Run: `npx tsx bench/cli.bench.ts`
 * (after `node scripts/build.mjs`).
 * - `tresor --version` vs `node -e 0`: what the CLI adds to Node's own start (target ≤ 1.15×).
 * - `tresor config --json` vs `curl` of the same endpoint (target ≤ 2×, from the issue).
 * - `tresor config --json` vs a minimal node:http GET of it: what the CLI adds over the least
 *   any Node client costs (shown because curl starts in a few ms, which no Node process can).
 */
import { spawnSync } from 'node:child_process'
import { join } from 'node:path'
import { withServer } from './bench-server.ts'

const root = new URL('..', import.meta.url).pathname
const bin = join(root, 'bin/tresor.js')
const RUNS = 21
const TOKEN = 'tresor_bench_owner_token_0123456789abcdefgh'

interface BenchResult {
  name: string
  ratio: number
  target: number
  ok: boolean
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b)
  return s[Math.floor(s.length / 2)] ?? NaN
}

interface Cmd {
  cmd: string
  args: string[]
  env?: NodeJS.ProcessEnv
}

function wallMs({ cmd, args, env }: Cmd): number {
  const start = process.hrtime.bigint()
  const out = spawnSync(cmd, args, { env: env ?? process.env, stdio: ['ignore', 'pipe', 'pipe'] })
  if (out.status !== 0)
    throw new Error(`${cmd} ${args[0] ?? ''} exited ${out.status ?? 'by signal'}`)
  return Number(process.hrtime.bigint() - start) / 1e6
}

// CPU time (perf's task-clock) does not grow when other work shares the machine, unlike wall
// time; it is measured too when perf is available.
const hasPerf = spawnSync('perf', ['stat', '-x,', '-e', 'task-clock', 'true']).status === 0

function cpuMs({ cmd, args, env }: Cmd): number {
  const out = spawnSync('perf', ['stat', '-x,', '-e', 'task-clock', '--', cmd, ...args], {
    env: env ?? process.env,
    encoding: 'utf8',
  })
  const m = /^([\d.]+),msec,task-clock/m.exec(out.stderr)
  if (out.status !== 0 || !m?.[1]) throw new Error(`perf stat of ${cmd} failed`)
  return Number(m[1])
}

/** Median wall (and CPU) times of `a` and `b`, run alternately after one warm-up each. */
function compare(a: Cmd, b: Cmd): { wall: [number, number]; cpu?: [number, number] } {
  wallMs(a)
  wallMs(b)
  const [wa, wb, ca, cb]: number[][] = [[], [], [], []]
  for (let i = 0; i < RUNS; i++) {
    wa?.push(wallMs(a))
    wb?.push(wallMs(b))
    if (hasPerf) {
      ca?.push(cpuMs(a))
      cb?.push(cpuMs(b))
    }
  }
  const wall: [number, number] = [median(wa ?? []), median(wb ?? [])]
  return hasPerf ? { wall, cpu: [median(ca ?? []), median(cb ?? [])] } : { wall }
}

/** Rows of one comparison: wall time, and CPU time when measured. */
function rows(name: string, target: number, r: ReturnType<typeof compare>): BenchResult[] {
  const row = (suffix: string, [a, b]: [number, number]) => {
    console.log(`${name}${suffix}: ${a.toFixed(1)} ms vs ${b.toFixed(1)} ms`)
    return { name: `${name}${suffix}`, ratio: a / b, target, ok: a / b <= target }
  }
  return [row('', r.wall), ...(r.cpu === undefined ? [] : [row(' (cpu)', r.cpu)])]
}

async function seed(url: string): Promise<string> {
  const headers = { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' }
  await fetch(`${url}/v1/projects`, { method: 'POST', headers, body: '{"slug":"bench"}' })
  const env = Object.fromEntries(Array.from({ length: 30 }, (_, i) => [`KEY_${i}`, `value-${i}`]))
  const path = `${url}/v1/projects/bench/environments/production/vars`
  await fetch(path, { method: 'PATCH', headers, body: JSON.stringify({ env }) })
  return path
}

/** The ratios of this file: wall time, and CPU time where perf can measure it. */
export async function run(): Promise<BenchResult[]> {
  const results = rows(
    'tresor --version vs node -e 0',
    1.15,
    compare({ cmd: 'node', args: [bin, '--version'] }, { cmd: 'node', args: ['-e', '0'] }),
  )
  await withServer(bin, TOKEN, async (url) => {
    const endpoint = await seed(url)
    const env = { ...process.env, TRESOR_URL: url, TRESOR_TOKEN: TOKEN }
    const cli = {
      cmd: 'node',
      args: [bin, 'config', '--json', '-p', 'bench', '-e', 'production'],
      env,
    }
    const curl = { cmd: 'curl', args: ['-sf', '-H', `Authorization: Bearer ${TOKEN}`, endpoint] }
    const get = `require('node:http').get(${JSON.stringify(endpoint)}, { headers: { authorization: 'Bearer ${TOKEN}' } }, (r) => r.resume())`
    results.push(
      ...rows('tresor config --json vs curl', 2, compare(cli, curl)),
      ...rows(
        'tresor config --json vs node:http GET',
        1.5,
        compare(cli, { cmd: 'node', args: ['-e', get] }),
      ),
    )
  })
  return results
}

if (import.meta.url === `file://${process.argv[1]}`) {
  for (const r of await run())
    console.log(
      `${r.name}: ratio ${r.ratio.toFixed(2)} (target ${r.target}) ${r.ok ? 'ok' : 'MISSED'}`,
    )
}
