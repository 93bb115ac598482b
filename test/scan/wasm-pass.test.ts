// The WebAssembly pass changes nothing the scanner finds: on random bytes, on random texts with
// planted tokens and secrets, and on the boundaries (every length 0–70 with a blank at every
// place, runs of m-1 / m bytes, runs crossing 16-byte blocks, at the file's end, non-ASCII
// bytes), `scanPass` with it reports exactly the keyword positions and candidate spans, in the
// same order, that its JavaScript loop does; with a secret set's hint bits, exactly those whose
// (length, hint) bit is set. Its `--` flag is never false for a file that holds `-----`.
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { keywordPairs, scanPass } from '../../src/core/scan/candidates.ts'
import { fingerprintItem, hintOf } from '../../src/core/scan/fingerprint.ts'
import { createFingerprintSet, hintSlot } from '../../src/core/scan/fingerprint-set.ts'
import { createScanner } from '../../src/core/scan/index.ts'
import { MIN_WORD_START_LENGTH, WORD_START_KEYWORDS } from '../../src/core/scan/rules.ts'
import type {
  HintFilter,
  LengthFilter,
  PassEngine,
  PassTargets,
} from '../../src/core/scan/pass-types.ts'
import { jsPass, wasmPass } from '../../src/core/scan/runs.ts'
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

const targetsOf = (
  lens: number[],
  minKeywordRun = MIN_WORD_START_LENGTH,
  hints?: HintFilter,
  pairs = PAIRS,
): PassTargets => ({
  pairs,
  minKeywordRun,
  lengths: lengthsOf(lens),
  ...(hints === undefined ? {} : { hints }),
})

function events(bytes: Buffer, targets: PassTargets, engine: PassEngine): string[] {
  const out: string[] = []
  scanPass(
    bytes,
    targets,
    { keywordAt: (i) => out.push(`k${i}`), candidate: (s, e) => out.push(`c${s}-${e}`) },
    engine,
  )
  return out
}

// What the JavaScript pass reports, less the candidates the hint bits rule out.
function expected(bytes: Buffer, targets: PassTargets): string[] {
  const all = events(bytes, targets, jsPass)
  const { hints } = targets
  if (hints === undefined) return all
  return all.filter((ev) => {
    if (ev.startsWith('k')) return true
    const [s = 0, e = 0] = ev.slice(1).split('-').map(Number)
    const slot = hintSlot(e - s, hintOf(bytes, hints.base, s, e))
    return ((hints.hints[slot >>> 3] as number) & (1 << (slot & 7))) !== 0
  })
}

function expectSame(bytes: Buffer, targets: PassTargets): void {
  expect(events(bytes, targets, wasmPass)).toEqual(expected(bytes, targets))
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
  '`',
  '/',
  '@',
  '.',
  '-',
  '--',
  '-----BEGIN ',
  ',',
  ';',
  '(',
  ')',
  '#',
  ' # ',
  'é',
  '→',
  '\xff',
  '\x01',
  'KEY=',
  'export API_KEY= ',
  'export  KEY=',
  '\nKEY=',
  'token: ',
  '==',
  'postgres://u:',
  'ghp_',
  'sk_live_',
  'AKIA',
  'xoxb-',
  'svc_',
  'tresor_pat_',
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

// Secrets of the given values, as the scanner gets them, and their hint bits.
function hintsOf(values: string[], seed = 1): HintFilter {
  const key = Buffer.alloc(32, seed)
  return createFingerprintSet(
    key,
    values.map((v, i) => fingerprintItem(key, `K${i}`, null, v)),
  )
}

const EVERY_LENGTH = Array.from({ length: 71 }, (_, i) => i)

describe('wasm pass', () => {
  it('loads (WebAssembly SIMD is available on Node 20) and reports the runs', () => {
    const bytes = Buffer.from('a'.repeat(15) + ' ' + 'b'.repeat(16) + '\n' + 'c'.repeat(40))
    const out: string[] = []
    const dashes = wasmPass(bytes, 16, targetsOf([16, 40]), {
      keywordAt: (i) => out.push(`k${i}`),
      candidate: (s, e) => out.push(`c${s}-${e}`),
    })
    expect(dashes).toBe(false)
    expect(out).toEqual(['c16-32', 'c33-73'])
  })

  it('agrees on every length 0–70 with a blank at every place, for m around 16', () => {
    for (const m of [1, 2, 7, 13, 14, 15, 16, 17, 18, 20]) {
      const targets = targetsOf(EVERY_LENGTH.slice(m), m)
      for (let n = 0; n <= 70; n++) {
        // every split of n bytes by one blank (of each kind in turn), and the n bytes alone
        for (let at = -1; at < n; at++) {
          const bytes = Buffer.alloc(n, 0x41)
          if (at >= 0) bytes[at] = BLANKS[(at + m) % 4] as number
          expectSame(bytes, targets)
        }
      }
    }
  })

  it('agrees on every length 0–70 of delimited text, at every offset in a 16-byte block', () => {
    const unit = 'a=b:c/d@e.f,g;h"i\'j`k(l)m{n}o[p]q#r|s&t?u\\v-w+x==y\x01z\x7f'
    for (let pre = 0; pre < 17; pre++) {
      for (let n = 0; n <= 70; n++) {
        const body = unit.repeat(2).slice(0, n)
        for (const text of [' '.repeat(pre) + body, 'K'.repeat(pre) + ' ' + body + ' x']) {
          const bytes = Buffer.from(text, 'latin1')
          expectSame(bytes, targetsOf(EVERY_LENGTH.slice(1), 1))
          expectSame(bytes, targetsOf(EVERY_LENGTH.slice(12), 12))
          expectSame(bytes, targetsOf([]))
        }
      }
    }
  })

  it('agrees on random bytes (every byte value, blanks dense or sparse)', () => {
    fc.assert(
      fc.property(
        fc.uint8Array({ maxLength: 600 }),
        fc.integer({ min: 1, max: 40 }),
        fc.integer({ min: 0, max: 7 }),
        fc.array(fc.integer({ min: 1, max: 80 }), { maxLength: 6 }),
        fc.array(fc.tuple(fc.integer({ min: 0, max: 255 }), fc.constantFrom(32, 10, 65, 0xff))),
        (raw, m, sparsity, lens, keywordPairs) => {
          // fold most bytes onto non-blanks so that long runs occur
          const bytes = Buffer.from(
            raw.map((b) => (b % 8 < sparsity && BLANKS.includes(b) ? 65 : b)),
          )
          expectSame(bytes, targetsOf(lens, m))
          expectSame(bytes, targetsOf(EVERY_LENGTH.slice(1), m))
          // keyword pairs of any bytes, a blank second too (the JavaScript loop never looks
          // past the file's end for one)
          const pairs = new Uint8Array(65536)
          for (const [a, b] of keywordPairs) pairs[(a << 8) | b] = 1
          for (let k = 0; k + 1 < bytes.length; k += 7) pairs[((bytes[k] as number) << 8) | 32] = 1
          expectSame(bytes, targetsOf(lens, m, undefined, pairs))
        },
      ),
      { numRuns: 500 },
    )
  })

  it('agrees on random texts with planted tokens and secrets', () => {
    const rand = prng(42)
    for (let round = 0; round < 60; round++) {
      const secrets = Array.from({ length: 1 + Math.floor(rand() * 5) }, () => {
        const n = 12 + Math.floor(rand() * 50)
        return Array.from({ length: n }, () => String.fromCharCode(48 + Math.floor(rand() * 75)))
          .join('')
          .replace(/[ =:]/g, 'x')
      })
      const bytes = textOf(rand, 200 + Math.floor(rand() * 20000), secrets)
      const lens = secrets.map((s) => Buffer.byteLength(s))
      expectSame(bytes, targetsOf(lens))
      expectSame(bytes, targetsOf(lens, MIN_WORD_START_LENGTH, hintsOf(secrets, round)))
      expectSame(bytes, targetsOf([]))
      expectSame(bytes, targetsOf([15, 16, 17, 32]))
      expectSame(bytes, targetsOf([1, 2, 3], 1))
      expectSame(bytes, targetsOf(EVERY_LENGTH.slice(8), 8))
    }
  })

  it('agrees at the boundaries: runs of 15 and 16, across blocks, at the end', () => {
    const lens = [15, 16, 17, 20, 31, 32, 33]
    const cases: Buffer[] = []
    for (let pre = 0; pre < 18; pre++) {
      for (const len of [14, 15, 16, 17, 31, 32, 33]) {
        for (const tail of ['', ' ', '\n', '= ', ' x', '==', '=', ' # c']) {
          const run = 'Ab1_'.repeat(10).slice(0, len)
          cases.push(Buffer.from(`${'k '.repeat(pre >> 1)}${pre & 1 ? ' ' : ''}${run}${tail}`))
          cases.push(Buffer.from(`KEY=  ${run}${tail}`))
          cases.push(Buffer.from(`export KEY=${run}${tail}`))
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

  it('agrees on assignments: `export` and look-alikes, indentation, comments, lengths', () => {
    const prefixes = ['', '\n', 'x\n', '  ', '\t', 'export ', 'export\t', '  export  ', 'deport ']
    prefixes.push('exporT ', 'expo ', 'rt ', 'Export ', 'xexport ', '\r\n', 'a b\n', 'é ')
    const keys = ['KEY', 'a.b-c_D9', 'K', 'été', 'a/b', '-']
    const targets = targetsOf([12, 20, 21, 30])
    for (const prefix of prefixes) {
      for (const key of keys) {
        for (const op of ['=', ':', ' = ', ': ', '=  ', ':\t']) {
          // values around the limit of what is read (the longest secret and 64 more)
          for (const len of [0, 11, 12, 20, 21, 30, 31, 60, 92, 93, 94, 95, 96, 120]) {
            for (const tail of ['', '\n', ' \n', ' # c\n', '#x\n']) {
              const value = 'V'.repeat(Math.min(len, 20)) + ' #'.slice(0, len > 20 ? 2 : 0)
              const text = `${prefix}${key}${op}${value}${'w'.repeat(Math.max(0, len - 22))}${tail}`
              expectSame(Buffer.from(text), targets)
            }
          }
        }
      }
    }
  })

  it('reports only candidates whose hint bit is set, given the hint bits', () => {
    const rand = prng(9)
    const values = ['Zq8vN2xLp4Rt7WmK', 'a/b+c=d_e-f!g9h8j7k6', 'x'.repeat(40)]
    const hints = hintsOf(values)
    const targets = targetsOf(
      values.map((v) => v.length),
      MIN_WORD_START_LENGTH,
      hints,
    )
    let all = 0
    let kept = 0
    for (let round = 0; round < 20; round++) {
      const bytes = textOf(rand, 5000, values)
      const got = events(bytes, targets, wasmPass)
      expect(got).toEqual(expected(bytes, targets))
      const candidates = (evs: string[]) => evs.filter((e) => e.startsWith('c')).length
      all += candidates(events(bytes, targets, jsPass))
      kept += candidates(got)
    }
    expect(kept).toBeLessThan(all / 4)
    for (const v of values) {
      const bytes = Buffer.from(`const a = 1\nx ${v} y\n`)
      expect(events(bytes, targets, wasmPass)).toContain(`c14-${14 + v.length}`)
    }
  })

  it('hands over a full output buffer mid-pass and still agrees (many candidates)', () => {
    // about 3 candidates a byte: well over the 8192 pairs the module holds at once
    const bytes = Buffer.from('ab/cd@ef:gh '.repeat(4000) + 'tail=x'.repeat(500))
    expectSame(bytes, targetsOf(EVERY_LENGTH.slice(1), 1))
    expectSame(bytes, targetsOf([2, 5, 8, 11]))
  })

  it('grows its memory for a larger file, then serves small ones', () => {
    const rand = prng(7)
    expectSame(textOf(rand, 3 * 1024 * 1024, []), targetsOf([16, 20, 40]))
    expectSame(Buffer.from('x'.repeat(20)), targetsOf([20]))
  })

  it('declines what would need more than 64 MB of memory, and the pass still agrees', () => {
    const big = Buffer.alloc(65 * 1024 * 1024, 0x61)
    big.fill(32, 100, 101)
    const sink = { keywordAt: () => {}, candidate: () => {} }
    expect(wasmPass(big, 16, targetsOf([100]), sink)).toBeUndefined()
    const out: number[] = []
    scanPass(big, targetsOf([100]), { keywordAt: () => {}, candidate: (s, e) => out.push(s, e) })
    expect(out).toEqual([0, 100])
  })

  it('declines lengths past its table, and the pass still agrees', () => {
    const bytes = Buffer.from(`a ${'z'.repeat(5000)} b`)
    expect(wasmPass(bytes, 16, targetsOf([5000]), { keywordAt() {}, candidate() {} })).toBe(
      undefined,
    )
    expect(events(bytes, targetsOf([5000]), wasmPass)).toEqual(['c2-5002'])
  })

  it('lets a sink start a pass of its own (which runs in JavaScript)', () => {
    const rand = prng(3)
    const bytes = textOf(rand, 4000, [])
    const inner = Buffer.from(`KEY=${'q'.repeat(30)}\n`)
    const targets = targetsOf([20, 30])
    const nested: string[] = []
    const out: string[] = []
    scanPass(bytes, targets, {
      keywordAt: (i) => out.push(`k${i}`),
      candidate: (s, e) => {
        out.push(`c${s}-${e}`)
        nested.push(...events(inner, targets, wasmPass))
      },
    })
    expect(out).toEqual(expected(bytes, targets))
    expect(nested.length).toBeGreaterThan(0)
    expect(new Set(nested)).toEqual(new Set(['c4-34']))
  })

  it('falls back to the JavaScript loop when the engine declines', () => {
    const bytes = Buffer.from(`a b ${'z'.repeat(20)} c`)
    expect(events(bytes, targetsOf([20]), () => undefined)).toEqual(['c4-24'])
    expect(events(bytes, targetsOf([20]), wasmPass)).toEqual(['c4-24'])
  })
})

describe('the `--` flag', () => {
  const flag = (bytes: Buffer) =>
    scanPass(bytes, targetsOf([20]), { keywordAt() {}, candidate() {} })

  it('is set wherever `-----` starts, and clear for text without `--`', () => {
    for (let pre = 0; pre < 40; pre++) {
      for (const tail of ['', 'x', ' '.repeat(17)]) {
        expect(flag(Buffer.from(`${'a'.repeat(pre)}-----${tail}`))).toBe(true)
        expect(flag(Buffer.from(`${'a-'.repeat(pre)}${tail}`))).toBe(false)
      }
    }
  })

  it('is never clear for random text holding `-----`', () => {
    fc.assert(
      fc.property(fc.stringMatching(/^[-a ]{0,200}$/), (text) => {
        if (text.includes('-----')) expect(flag(Buffer.from(text))).toBe(true)
      }),
      { numRuns: 1000 },
    )
  })

  it('lets the scanner find a PEM block at any offset', () => {
    const body = 'MIIEvQIBADANBgkqhkiG9w0BAQEFAASCBKcwggSjAgEAAoIBAQC7'.repeat(2)
    const pem = `-----BEGIN PRIVATE KEY-----\n${body}\n-----END PRIVATE KEY-----\n`
    const scanner = createScanner()
    for (let pre = 0; pre < 20; pre++) {
      const found = scanner.scanText(`${'x'.repeat(pre)}\n${pem}`, 'key.pem')
      expect(found.map((f) => [f.rule, f.line, f.column])).toEqual([['private-key', 2, 1]])
    }
  })
})
