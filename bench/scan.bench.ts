/**
 * `tresor scan` throughput against `grep -r -F` of one fixed string, on the same 50 MB tree of
 * source-like files in the same run (warm page cache for both). The scan runs every rule plus
 * 50 fingerprints of own secrets, and must find exactly what was planted.
 * Run: `npx tsx bench/scan.bench.ts` (or `npm run bench -- scan`).
 */
import { spawnSync } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { pathToFileURL } from 'node:url'
import {
  base62Crc32,
  createFingerprintSet,
  createScanner,
  fingerprintItem,
  type FingerprintItem,
} from '../src/core/scan/index.ts'
import { generateToken } from '../src/crypto/tokens.ts'
import { createIgnoreTree, listFiles, scanFiles } from '../src/cli/commands/scan-files.ts'
import { prng, writeTree, type Plant } from './scan-tree.ts'

const TREE_BYTES = 50 * 1024 * 1024
const ROUNDS = 3
const TARGET = 0.25
const MB = 1024 * 1024

function secrets(count: number): { items: FingerprintItem[]; values: string[]; key: Buffer } {
  const rand = prng(99)
  const key = randomBytes(32)
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/-_!'
  const values = Array.from({ length: count }, () => {
    const len = 16 + Math.floor(rand() * 49)
    return Array.from({ length: len }, () => alphabet.charAt(Math.floor(rand() * 68))).join('')
  })
  const items = values.map((v, i) => fingerprintItem(key, `SECRET_${i}`, 'production', v))
  return { items, values, key }
}

function plants(values: string[]): Plant[] {
  const gh = `ghp_${randomBytes(30).toString('base64url').replace(/[-_]/g, 'x').slice(0, 30)}`
  return [
    ...values.slice(0, 10).map((v, i) => ({ text: v, rule: 'own-secret', key: `SECRET_${i}` })),
    ...Array.from({ length: 5 }, () => ({ text: generateToken('svc'), rule: 'tresor-token' })),
    { text: `${gh}${base62Crc32(gh.slice(4))}`, rule: 'github-token' },
  ]
}

function median(xs: number[]): number {
  return [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? NaN
}

function timeGrep(dir: string): number {
  const start = performance.now()
  const r = spawnSync('grep', ['-r', '-F', '-e', 'tresor-needle-not-there', dir])
  if (r.status !== 1) throw new Error(`grep exited ${r.status}`)
  return (performance.now() - start) / 1000
}

function timeScan(dir: string, fp: ReturnType<typeof secrets>) {
  const start = performance.now()
  const scanner = createScanner({ fingerprints: createFingerprintSet(fp.key, fp.items) })
  const files = listFiles([dir], dir, createIgnoreTree(dir, true))
  const result = scanFiles(files, scanner)
  return { seconds: (performance.now() - start) / 1000, result }
}

/** Builds the tree, times both tools, checks the findings; returns the ratio row. */
export function run() {
  const dir = mkdtempSync(join(tmpdir(), 'tresor-scan-bench-'))
  try {
    const fp = secrets(50)
    const planted = plants(fp.values)
    const bytes = writeTree(dir, TREE_BYTES, planted)
    timeGrep(dir) // warm the page cache for both
    const grepTimes: number[] = []
    const scanTimes: number[] = []
    let found = 0
    for (let i = 0; i < ROUNDS; i++) {
      grepTimes.push(timeGrep(dir))
      const s = timeScan(dir, fp)
      scanTimes.push(s.seconds)
      found = s.result.findings.length
    }
    if (found !== planted.length) {
      throw new Error(
        `scan found ${found} leaks, ${planted.length} were planted (${pathToFileURL(dir).href})`,
      )
    }
    const grepRate = bytes / MB / median(grepTimes)
    const scanRate = bytes / MB / median(scanTimes)
    const ratio = scanRate / grepRate
    console.log(`tree: ${(bytes / MB).toFixed(1)} MB; planted and found: ${found}`)
    console.log(
      `grep -r -F: ${grepRate.toFixed(0)} MB/s   tresor scan: ${scanRate.toFixed(0)} MB/s`,
    )
    return [
      {
        name: 'scan: 50 MB tree, 50 fingerprints vs grep -r -F',
        ratio,
        target: TARGET,
        ok: ratio >= TARGET,
      },
    ]
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) console.table(run())
