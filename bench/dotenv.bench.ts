/**
 * Throughput of our lossless parse + serialize against `dotenv.parse` alone, on the same
 * 10,000-line document in the same process. Run: `npx tsx bench/dotenv.bench.ts`.
 */
import dotenv from 'dotenv'
import { entriesOf, parseDocument, serializeDocument } from '../src/core/dotenv/index.ts'
import { prng } from './scan-tree.ts'

const LINES = 10_000
const ROUNDS = 9
const TARGET = 1.0

function word(rand: () => number, len: number): string {
  const alphabet = 'abcdefghijklmnopqrstuvwxyz0123456789'
  let out = ''
  for (let i = 0; i < len; i++) out += alphabet[Math.floor(rand() * alphabet.length)]
  return out
}

/** One statement of a realistic file; returns its lines. */
function statement(rand: () => number, i: number): string[] {
  const key = `SERVICE_${i}_${word(rand, 4).toUpperCase()}`
  const r = rand()
  if (r < 0.1) return [`# ${word(rand, 8)} settings for ${word(rand, 6)}`]
  if (r < 0.16) return ['']
  if (r < 0.46) return [`${key}=${word(rand, 12 + Math.floor(rand() * 30))}`]
  if (r < 0.56) return [`${key}=https://${word(rand, 8)}.example.com:8080/${word(rand, 6)}`]
  if (r < 0.64) return [`export ${key}=${word(rand, 16)}`]
  if (r < 0.74) return [`${key}='${word(rand, 10)} ${word(rand, 10)} # kept'`]
  if (r < 0.84) return [`${key}="${word(rand, 12)}\\n${word(rand, 8)}" # note`]
  if (r < 0.92) return [`${key} = ${word(rand, 20)} # inline comment`]
  if (r < 0.97) return [`${key}=\${{project.${word(rand, 6).toUpperCase()}}}`]
  const body = Array.from({ length: 4 }, () => word(rand, 64))
  return [`${key}="-----BEGIN KEY-----`, ...body, '-----END KEY-----"']
}

/** A realistic document of exactly `LINES` lines, LF-terminated. */
export function buildDocument(lines = LINES): string {
  const rand = prng(42)
  const out: string[] = []
  for (let i = 0; out.length < lines; i++) {
    const next = statement(rand, i)
    if (out.length + next.length > lines) continue
    out.push(...next)
  }
  return out.join('\n') + '\n'
}

function timeOnce(fn: () => void, iterations: number): number {
  const start = process.hrtime.bigint()
  for (let i = 0; i < iterations; i++) fn()
  return Number(process.hrtime.bigint() - start) / 1e6 / iterations
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b)
  return s[Math.floor(s.length / 2)] ?? Number.NaN
}

/** Runs the comparison and returns the ratio of our throughput to dotenv's (≥ 1 means faster). */
export function run(): { name: string; ratio: number; target: number; ok: boolean } {
  const text = buildDocument()
  const projection = entriesOf(parseDocument(text))
  const oracle = Object.entries(dotenv.parse(text))
  if (oracle.some(([k, v]) => projection.get(k) !== v) || oracle.length !== projection.size) {
    throw new Error('the benchmark document reads differently from dotenv.parse')
  }
  const ours = (): void => {
    if (serializeDocument(parseDocument(text)).length !== text.length) throw new Error('lossy')
  }
  const theirs = (): void => {
    if (Object.keys(dotenv.parse(text)).length === 0) throw new Error('empty')
  }
  for (let i = 0; i < 20; i++) {
    ours()
    theirs()
  }
  const oursMs: number[] = []
  const theirsMs: number[] = []
  for (let r = 0; r < ROUNDS; r++) {
    oursMs.push(timeOnce(ours, 10))
    theirsMs.push(timeOnce(theirs, 10))
  }
  const ratio = median(theirsMs) / median(oursMs)
  return {
    name: 'dotenv parse+serialize vs dotenv.parse',
    ratio,
    target: TARGET,
    ok: ratio >= TARGET,
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const r = run()
  console.log(`${r.name}: ratio ${r.ratio.toFixed(2)} (target ≥ ${r.target.toFixed(1)})`)
}
