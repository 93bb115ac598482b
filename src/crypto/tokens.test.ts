import { randomBytes } from 'node:crypto'
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { generateToken, hashToken, parseToken, TOKEN_PATTERN, tokensEqual } from './tokens.ts'

const BASE62 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz'
const pool = Array.from({ length: 64 }, (_, i) => generateToken(i % 2 ? 'pat' : 'svc'))

describe('token format', () => {
  it('is tresor_<kind>_ + 33 base62 body chars + 6 checksum chars, and parses back', () => {
    for (const kind of ['pat', 'svc'] as const) {
      const token = generateToken(kind)
      expect(token).toMatch(new RegExp(`^tresor_${kind}_[0-9A-Za-z]{39}$`))
      expect(parseToken(token)).toEqual({ kind, body: token.slice(11, 44) })
    }
  })

  it('is unique and well-formed over 10,000 tokens', () => {
    const tokens = Array.from({ length: 10_000 }, () => generateToken('svc'))
    expect(new Set(tokens).size).toBe(10_000)
    expect(tokens.every((t) => t.length === 50 && parseToken(t)?.kind === 'svc')).toBe(true)
  })

  it('catches every single-character substitution of some tokens, exhaustively', () => {
    for (const token of pool.slice(0, 6)) {
      for (let i = 0; i < token.length; i++) {
        for (const c of `${BASE62}_-`) {
          if (c === token[i]) continue
          expect(parseToken(token.slice(0, i) + c + token.slice(i + 1))).toBeUndefined()
        }
      }
    }
  })

  it('catches a random single-character change (property, 2,000 runs)', () => {
    fc.assert(
      fc.property(
        fc.nat(pool.length - 1),
        fc.nat(49),
        fc.constantFrom(...BASE62),
        (which, position, replacement) => {
          const token = pool[which]!
          fc.pre(token[position] !== replacement)
          const mutated = token.slice(0, position) + replacement + token.slice(position + 1)
          return parseToken(mutated) === undefined
        },
      ),
      { numRuns: 2000 },
    )
  })

  it('catches a swap of two adjacent different body characters (property, 1,000 runs)', () => {
    fc.assert(
      fc.property(fc.nat(pool.length - 1), fc.integer({ min: 11, max: 42 }), (which, i) => {
        const token = pool[which]!
        fc.pre(token[i] !== token[i + 1])
        const swapped = token.slice(0, i) + token[i + 1]! + token[i]! + token.slice(i + 2)
        return parseToken(swapped) === undefined
      }),
      { numRuns: 1000 },
    )
  })

  it.each([
    ['wrong kind', (t: string) => t.replace('_pat_', '_xyz_')],
    ['one char short', (t: string) => t.slice(0, -1)],
    ['one char long', (t: string) => `${t}A`],
    ['surrounding space', (t: string) => ` ${t}`],
    ['upper-case prefix', (t: string) => t.replace('tresor', 'TRESOR')],
  ])('refuses a token with a %s', (_name, change) => {
    expect(parseToken(change(pool[1]!))).toBeUndefined()
  })
})

describe('TOKEN_PATTERN', () => {
  const noise = [
    'tresor_pat_' + 'a'.repeat(38),
    'tresor_key_' + 'a'.repeat(39),
    `xtresor_pat_${'a'.repeat(39)}`,
    `tresor_pat_${'a'.repeat(40)}`,
    randomBytes(40).toString('base64'),
    'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855',
  ]

  it('finds every real token in surrounding text, and no noise', () => {
    const text = pool.map((t, i) => (i % 2 ? `TOKEN=${t}\n` : `{"auth":"Bearer ${t}"}`)).join(' ')
    const found = [...text.matchAll(new RegExp(TOKEN_PATTERN.source, 'g'))].map((m) => m[0])
    expect(found).toEqual(pool)
    for (const n of noise) expect(TOKEN_PATTERN.test(n)).toBe(false)
  })
})

describe('hashToken / tokensEqual', () => {
  it('matches RFC 4231 HMAC-SHA256 test cases 6 and 7 (131-byte key)', () => {
    const key = Buffer.alloc(131, 0xaa)
    expect(
      hashToken(key, 'Test Using Larger Than Block-Size Key - Hash Key First').toString('hex'),
    ).toBe('60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54')
    const data =
      'This is a test using a larger than block-size key and a larger than block-size data. ' +
      'The key needs to be hashed before being used by the HMAC algorithm.'
    expect(hashToken(key, data).toString('hex')).toBe(
      '9b09ffa71b942fcb27635fbcd5b0e944bfdc63644f0713938a7f51535c3a35e2',
    )
  })

  it('is deterministic per pepper and differs across peppers', () => {
    const [p1, p2] = [randomBytes(32), randomBytes(32)]
    const token = pool[0]!
    expect(hashToken(p1, token).equals(hashToken(p1, token))).toBe(true)
    expect(hashToken(p1, token).equals(hashToken(p2, token))).toBe(false)
    expect(hashToken(p1, token).equals(hashToken(p1, pool[1]!))).toBe(false)
    expect(hashToken(p1, token)).toHaveLength(32)
  })

  it('refuses a pepper shorter than 32 bytes', () => {
    expect(() => hashToken(Buffer.alloc(31), pool[0]!)).toThrow('token pepper must be ≥ 32 bytes')
  })

  it('compares in constant time and treats different lengths as unequal', () => {
    const pepper = randomBytes(32)
    const h = hashToken(pepper, pool[0]!)
    expect(tokensEqual(h, Buffer.from(h))).toBe(true)
    const other = Buffer.from(h)
    other[31]! ^= 1
    expect(tokensEqual(h, other)).toBe(false)
    expect(tokensEqual(h, h.subarray(0, 16))).toBe(false)
    expect(tokensEqual(Buffer.alloc(0), Buffer.alloc(0))).toBe(true)
  })

  it('hash + compare costs well under 50 µs per token (median of 20 batches)', () => {
    const pepper = randomBytes(32)
    const stored = hashToken(pepper, pool[0]!)
    const perOp: number[] = []
    for (let batch = 0; batch < 20; batch++) {
      const start = process.hrtime.bigint()
      for (let i = 0; i < 500; i++) tokensEqual(hashToken(pepper, pool[i % 64]!), stored)
      perOp.push(Number(process.hrtime.bigint() - start) / 500 / 1000)
    }
    perOp.sort((a, b) => a - b)
    expect(perOp[10]!).toBeLessThan(50)
  })
})
