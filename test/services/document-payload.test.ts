import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { isAppError } from '../../src/core/errors.ts'
import {
  decodePayload,
  encodePayload,
  type PayloadKey,
} from '../../src/services/documents/document-payload.ts'

const key = fc.record(
  {
    kind: fc.constantFrom('config' as const, 'secret' as const),
    updatedAt: fc.constantFrom('2025-01-02T03:04:05.678Z', '2026-07-01T00:00:00.000Z'),
    updatedBy: fc.constantFrom('mem_a', 'tok_b', 'mem_"quoted"\n'),
  },
  { requiredKeys: ['kind'] },
)

describe('revision payload (what one ciphertext holds)', () => {
  it('round-trips any text and any kinds and stamps (1,000 cases)', () => {
    fc.assert(
      fc.property(
        fc.string({ unit: 'grapheme' }),
        fc.array(key, { maxLength: 30 }),
        (text, keys) => {
          const back = decodePayload(encodePayload(text, keys))
          expect(back).toEqual({ text, keys })
        },
      ),
      { numRuns: 1000 },
    )
  })

  it('lists each time and actor once: 100 keys stamped by one write stay small', () => {
    const keys: PayloadKey[] = Array.from({ length: 100 }, () => ({
      kind: 'secret',
      updatedAt: '2025-01-02T03:04:05.678Z',
      updatedBy: 'mem_0000000000000000',
    }))
    const plain = encodePayload('', keys)
    expect(plain.length).toBeLessThan(5 + 100 + 100 * 4 + 80)
    expect(plain.toString().split('2025-01-02').length - 1).toBe(1)
  })

  it('refuses a payload of another format or a truncated one with CRYPTO_ERROR', () => {
    const good = encodePayload('A=1\n', [{ kind: 'config' }])
    const bad = [
      Buffer.alloc(0),
      Buffer.from('A=1\n'),
      good.subarray(0, 8),
      Buffer.concat([Buffer.from([2]), good.subarray(1)]),
    ]
    for (const plain of bad) {
      let err: unknown
      try {
        decodePayload(plain)
      } catch (e) {
        err = e
      }
      expect(isAppError(err, 'CRYPTO_ERROR')).toBe(true)
    }
  })
})
