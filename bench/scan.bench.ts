/**
 * `tresor scan` throughput against `grep -r -F` of one fixed string, on the same 50 MB tree of
 * source-like files in the same run (warm page cache for both). The scan runs every rule plus
 * 50 fingerprints of own secrets, on as many threads as the CLI would use, and must find
 * exactly what was planted. The scanner is bundled with esbuild first, as the CLI is built:
 * worker threads cannot load TypeScript. Also prints CPU time per MB, which load on a shared
 * machine disturbs less than wall time.
 * Run: `npx tsx bench/scan.bench.ts` (or `npm run bench -- scan`).
 */
import { spawnSync } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { pathToFileURL } from 'node:url'
import { build } from 'esbuild'
import { defaultThreads } from '../src/cli/commands/scan-parallel.ts'
import { base62Crc32, fingerprintItem } from '../src/core/scan/index.ts'
import { generateToken } from '../src/crypto/tokens.ts'
import { prng, writeTree, type Plant } from './scan-tree.ts'

const TREE_BYTES = 50 * 1024 * 1024
const ROUNDS = 5
const TARGET = 0.25
const MB = 1024 * 1024

type Engine = typeof import('./scan-engine.ts')

// The same modules the CLI's `scan` verb runs, bundled to plain JavaScript.
async function loadEngine(dir: string): Promise<Engine> {
  await build({
    entryPoints: {
      engine: join(import.meta.dirname, 'scan-engine.ts'),
      // Found beside the engine by scan-parallel.ts, as dist/scan-worker.js is beside the CLI.
      'scan-worker': join(import.meta.dirname, '../src/cli/commands/scan-worker.ts'),
    },
    outdir: dir,
    bundle: true,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    packages: 'external',
    logLevel: 'warning',
  })
  return (await import(pathToFileURL(join(dir, 'engine.js')).href)) as Engine
}

function secrets(count: number) {
  const rand = prng(99)
  const key = randomBytes(32)
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/-_!'
  const values = Array.from({ length: count }, () => {
    const len = 16 + Math.floor(rand() * 49)
    return Array.from({ length: len }, () => alphabet.charAt(Math.floor(rand() * 68))).join('')
  })
  const items = values.map((v, i) => fingerprintItem(key, `SECRET_${i}`, 'production', v))
  return { wire: { scanKey: key.toString('base64'), items }, values }
}

function plants(values: string[]): Plant[] {
  const body = randomBytes(30)
    .toString('base64')
    .replace(/[^0-9A-Za-z]/g, 'x')
    .slice(0, 30)
  return [
    ...values.slice(0, 10).map((v, i) => ({ text: v, rule: 'own-secret', key: `SECRET_${i}` })),
    ...Array.from({ length: 5 }, () => ({ text: generateToken('svc'), rule: 'tresor-token' })),
    { text: `ghp_${body}${base62Crc32(body)}`, rule: 'github-token' },
  ]
}

interface Timing {
  wall: number
  cpu: number
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? NaN
const rate = (bytes: number, ts: Timing[], key: keyof Timing) =>
  Math.round(bytes / MB / median(ts.map((t) => t[key])))

function timeGrep(dir: string) {
  const start = performance.now()
  const r = spawnSync('bash', [
    '-c',
    `TIMEFORMAT='%U %S'; time grep -r -F -e tresor-needle-not-there "$1"`,
    '-',
    dir,
  ])
  const wall = (performance.now() - start) / 1000
  if (r.status !== 1) throw new Error(`grep exited ${r.status}`)
  const [user = 0, sys = 0] = r.stderr.toString().trim().split(' ').map(Number)
  return { wall, cpu: user + sys }
}

async function timeScan(
  engine: Engine,
  dir: string,
  wire: ReturnType<typeof secrets>['wire'],
  threads: number | undefined,
) {
  const cpu0 = process.cpuUsage()
  const start = performance.now()
  const files = engine.listFiles([dir], dir, engine.createIgnoreTree(dir, true))
  const result = await engine.scanFilesInParallel(files, wire, threads)
  const wall = (performance.now() - start) / 1000
  const cpu = process.cpuUsage(cpu0)
  return { wall, cpu: (cpu.user + cpu.system) / 1e6, found: result.findings.length }
}

/** Builds the tree, times both tools, checks the findings; returns the ratio rows. */
async function measure(
  engine: Engine,
  tree: string,
  fp: ReturnType<typeof secrets>,
  planted: number,
) {
  const grep: Timing[] = []
  const cli: Timing[] = []
  const two: Timing[] = []
  for (let i = 0; i < ROUNDS; i++) {
    grep.push(timeGrep(tree))
    for (const [threads, into] of [
      [undefined, cli],
      [2, two],
    ] as const) {
      const s = await timeScan(engine, tree, fp.wire, threads)
      if (s.found !== planted) throw new Error(`found ${s.found} leaks, planted ${planted}`)
      into.push(s)
    }
  }
  return { grep, cli, two }
}

/** Builds the tree, times grep and the scan, checks the findings; returns the ratio rows. */
export async function run() {
  const dir = mkdtempSync(join(tmpdir(), 'tresor-scan-bench-'))
  try {
    const engine = await loadEngine(join(dir, '.engine'))
    const fp = secrets(50)
    const planted = plants(fp.values)
    const tree = join(dir, 'tree')
    const bytes = writeTree(tree, TREE_BYTES, planted)
    timeGrep(tree) // warm the page cache for both
    const { grep, cli, two } = await measure(engine, tree, fp, planted.length)
    console.log(`tree: ${(bytes / MB).toFixed(1)} MB, ${planted.length} leaks planted, all found`)
    for (const [name, t] of [
      ['grep -r -F', grep],
      [`scan, ${defaultThreads()} thread(s)`, cli],
      ['scan, 2 threads', two],
    ] as const)
      console.log(
        `${name.padEnd(18)} wall ${rate(bytes, t, 'wall')} MB/s, CPU ${rate(bytes, t, 'cpu')} MB/s`,
      )
    const row = (name: string, t: Timing[], key: keyof Timing, target: number) => {
      const ratio = rate(bytes, t, key) / rate(bytes, grep, key)
      return { name, ratio, target, ok: ratio >= target }
    }
    return [
      row('scan: 50 MB, 50 fingerprints vs grep -r -F (wall)', cli, 'wall', TARGET),
      row('scan: same, CPU time (info)', cli, 'cpu', 0),
      row('scan: same, forced onto 2 threads (wall, info)', two, 'wall', 0),
    ]
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) console.table(await run())
