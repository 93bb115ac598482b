// The WebAssembly run finder changes nothing the pass reports: on random texts with planted
// tokens and secrets, and on the boundaries (runs of exactly m-1 / m bytes, runs crossing
// 16-byte blocks, at the file's end, non-ASCII bytes), `scanPass` with it reports exactly the
// keyword positions and candidate spans, in the same order, that its JavaScript loop does.
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import {
  keywordPairs,
  scanPass,
  type LengthFilter,
  type PassTargets,
} from '../../src/core/scan/candidates.ts'
import { MIN_WORD_START_LENGTH, WORD_START_KEYWORDS } from '../../src/core/scan/rules.ts'
import { jsRuns, wasmRuns, type RunFinder } from '../../src/core/scan/runs.ts'
import { generateToken } from '../../src/crypto/tokens.ts'

const PAIRS = keywordPairs(WORD_START_KEYWORDS)
const BLANKS = [9, 10, 13, 32]

function lengthsOf(lens: number[]): LengthFilter {
  const max = Math.max(0, ...lens)
  const wanted = new Uint8Array(max + 1)
  for (const l of lens) wanted[l] = 1
  return {
    wanted,
    minLength: lens.length === 0 ? Number.MAX_SAFE_INTEGER : Math.min(...lens),
    maxLength: max,
    spaced: new Uint8Array(1),
    maxSpaced: 0,
  }
}

const targetsOf = (lens: number[], minKeywordRun = MIN_WORD_START_LENGTH): PassTargets => ({
  pairs: PAIRS,
  minKeywordRun,
  lengths: lengthsOf(lens),
})

function events(bytes: Buffer, targets: PassTargets, finder: RunFinder): string[] {
  const out: string[] = []
  scanPass(
    bytes,
    targets,
    { keywordAt: (i) => out.push(`k${i}`), candidate: (s, e) => out.push(`c${s}-${e}`) },
    finder,
  )
  return out
}

// The runs by definition: maximal, without 9/10/13/32, at least m long.
function referenceRuns(bytes: Uint8Array, m: number): number[] {
  const out: number[] = []
  let start = 0
  for (let i = 0; i <= bytes.length; i++) {
    if (i === bytes.length || BLANKS.includes(bytes[i] as number)) {
      if (i - start >= m) out.push(start, i)
      start = i + 1
    }
  }
  return out
}

function expectSame(bytes: Buffer, targets: PassTargets): void {
  expect(events(bytes, targets, wasmRuns)).toEqual(events(bytes, targets, jsRuns))
}

// Source-like text: words, delimiters, blanks, UTF-8 and raw high bytes, planted credentials.
const PIECES = [
  ' ',
  '  ',
  '\t',
  '\n',
  '\r\n',
  '=',
  ': ',
  '"',
  "'",
  '/',
  '@',
  '.',
  '-',
  ',',
  ';',
  '(',
  ')',
  'é',
  '→',
  '\xff',
  'KEY=',
  'export API_KEY= ',
  'token: ',
  '==',
  'postgres://u:',
  'ghp_',
  'sk_live_',
  'AKIA',
  'xoxb-',
  'svc_',
]

function textOf(rand: () => number, size: number, secrets: string[]): Buffer {
  const parts: Buffer[] = []
  let len = 0
  while (len < size) {
    const r = rand()
    let piece: string
    if (r < 0.35) piece = PIECES[Math.floor(rand() * PIECES.length)] as string
    else if (r < 0.45 && secrets.length > 0)
      piece = secrets[Math.floor(rand() * secrets.length)] as string
    else if (r < 0.47) piece = generateToken('svc')
    else {
      const n = 1 + Math.floor(rand() * 40)
      piece = Array.from({ length: n }, () =>
        String.fromCharCode(48 + Math.floor(rand() * 75)),
      ).join('')
    }
    const b = piece === '\xff' ? Buffer.from([0xff, 0x80]) : Buffer.from(piece, 'utf8')
    parts.push(b)
    len += b.length
  }
  return Buffer.concat(parts)
}

function prng(seed: number): () => number {
  let s = seed >>> 0 || 1
  return () => {
    s ^= s << 13
    s ^= s >>> 17
    s ^= s << 5
    return (s >>> 0) / 4294967296
  }
}

describe('wasm run finder', () => {
  it('loads (WebAssembly SIMD is available on Node 20) and finds exactly the runs', () => {
    const bytes = Buffer.from('a'.repeat(15) + ' ' + 'b'.repeat(16) + '\n' + 'c'.repeat(40))
    const runs = wasmRuns(bytes, 16)
    expect(runs).toBeDefined()
    expect(Array.from(runs ?? [])).toEqual([16, 32, 33, 73])
  })

  it('matches the definition on every length and block offset around 16', () => {
    for (let n = 0; n <= 70; n++) {
      for (let m = 1; m <= 18; m++) {
        for (const blank of BLANKS) {
          // every split of n bytes by one blank, and the blank-free n bytes themselves
          for (let at = -1; at < n; at++) {
            const bytes = Buffer.alloc(n, 0x41)
            if (at >= 0) bytes[at] = blank
            expect(Array.from(wasmRuns(bytes, m) ?? [])).toEqual(referenceRuns(bytes, m))
          }
        }
      }
    }
  })

  it('matches the definition on random bytes (every byte value, blanks dense or sparse)', () => {
    fc.assert(
      fc.property(
        fc.uint8Array({ maxLength: 600 }),
        fc.integer({ min: 1, max: 40 }),
        fc.integer({ min: 0, max: 7 }),
        (raw, m, sparsity) => {
          // fold most bytes onto non-blanks so that long runs occur
          const bytes = Buffer.from(
            raw.map((b) => (b % 8 < sparsity && BLANKS.includes(b) ? 65 : b)),
          )
          expect(Array.from(wasmRuns(bytes, m) ?? [])).toEqual(referenceRuns(bytes, m))
        },
      ),
      { numRuns: 500 },
    )
  })

  it('grows its memory for a larger file and still agrees', () => {
    const rand = prng(7)
    const bytes = textOf(rand, 3 * 1024 * 1024, [])
    expect(Array.from(wasmRuns(bytes, 16) ?? [])).toEqual(referenceRuns(bytes, 16))
    expect(Array.from(wasmRuns(Buffer.from('x'.repeat(20)), 16) ?? [])).toEqual([0, 20])
  })

  it('declines what would need more than 64 MB of memory, and the pass still agrees', () => {
    const big = Buffer.alloc(30 * 1024 * 1024, 0x61)
    big.fill(32, 100, 101)
    expect(wasmRuns(big, 1)).toBeUndefined() // room for 15M runs: left to JavaScript
    expect(Array.from(wasmRuns(big, 16) ?? [])).toEqual([0, 100, 101, big.length])
    expect(wasmRuns(Buffer.alloc(65 * 1024 * 1024), 16)).toBeUndefined()
    const events = (finder: RunFinder) => {
      const out: number[] = []
      const sink = { keywordAt: () => {}, candidate: (s: number, e: number) => out.push(s, e) }
      scanPass(big.subarray(0, 1000), targetsOf([100, 899]), sink, finder)
      return out
    }
    expect(events(wasmRuns)).toEqual([0, 100, 101, 1000])
    expect(events(jsRuns)).toEqual([0, 100, 101, 1000])
  })
})

describe('scanPass with the wasm run finder', () => {
  it('reports what the JavaScript pass does on random texts with planted tokens and secrets', () => {
    const rand = prng(42)
    for (let round = 0; round < 60; round++) {
      const secrets = Array.from({ length: 1 + Math.floor(rand() * 5) }, () => {
        const n = 12 + Math.floor(rand() * 50)
        return Array.from({ length: n }, () => String.fromCharCode(48 + Math.floor(rand() * 75)))
          .join('')
          .replace(/[ =:]/g, 'x')
      })
      const bytes = textOf(rand, 200 + Math.floor(rand() * 20000), secrets)
      expectSame(bytes, targetsOf(secrets.map((s) => Buffer.byteLength(s))))
      expectSame(bytes, targetsOf([]))
      expectSame(bytes, targetsOf([15, 16, 17, 32]))
      expectSame(bytes, targetsOf([1, 2, 3], 1))
    }
  })

  it('reports the same at the boundaries: runs of 15 and 16, across blocks, at the end', () => {
    const lens = [15, 16, 17, 20, 31, 32, 33]
    const cases: Buffer[] = []
    for (let pre = 0; pre < 18; pre++) {
      for (const len of [14, 15, 16, 17, 31, 32, 33]) {
        for (const tail of ['', ' ', '\n', '= ', ' x']) {
          const run = 'Ab1_'.repeat(10).slice(0, len)
          cases.push(Buffer.from(`${'k '.repeat(pre >> 1)}${pre & 1 ? ' ' : ''}${run}${tail}`))
          cases.push(Buffer.from(`KEY=  ${run}${tail}`))
          cases.push(Buffer.from(`${'x'.repeat(pre)} ghp_${run}${tail}`))
          cases.push(Buffer.concat([Buffer.alloc(pre, 0xc3), Buffer.from(` ${run}é${tail}`)]))
        }
      }
    }
    for (const bytes of cases) {
      expectSame(bytes, targetsOf(lens))
      expectSame(bytes, targetsOf([]))
    }
  })

  it('falls back to the JavaScript loop when a finder declines', () => {
    const bytes = Buffer.from(`a b ${'z'.repeat(20)} c`)
    expect(events(bytes, targetsOf([20]), () => undefined)).toEqual(['c4-24'])
    expect(events(bytes, targetsOf([20]), wasmRuns)).toEqual(['c4-24'])
  })
})
