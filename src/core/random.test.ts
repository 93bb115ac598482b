import { describe, expect, it } from 'vitest'
import { freshRandomBytes } from './random.ts'

describe('freshRandomBytes', () => {
  it('hands out new bytes on every draw, across refills of the pool', () => {
    // 12-byte draws (nonces) well past several 4 KiB refills: no two alike, all sizes exact.
    const seen = new Set<string>()
    for (let i = 0; i < 5000; i++) {
      const bytes = freshRandomBytes(12)
      expect(bytes).toHaveLength(12)
      seen.add(bytes.toString('hex'))
    }
    expect(seen.size).toBe(5000)
  })

  it('returns a copy: changing it changes no later draw', () => {
    const first = freshRandomBytes(32)
    first.fill(0)
    expect(freshRandomBytes(32).equals(Buffer.alloc(32))).toBe(false)
  })

  it('refuses sizes it does not serve', () => {
    for (const n of [0, -1, 65, 1.5, Number.NaN]) {
      expect(() => freshRandomBytes(n)).toThrow(RangeError)
    }
  })
})
