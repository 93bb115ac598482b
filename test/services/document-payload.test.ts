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
    updatedAt: fc.oneof(
      fc.constantFrom('2025-01-02T03:04:05.678Z', '2026-07-01T00:00:00.000Z'),
      fc.date({ noInvalidDate: true }).map((d) => d.toISOString()),
      fc.string({ unit: 'grapheme', maxLength: 8 }),
      fc.string({ unit: fc.constantFrom('a', '\u{1F600}', '\u{1F601}', 'é'), maxLength: 6 }),
    ),
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
    // Per key: its kind letter, an empty time tail ("",), the shared length (24,), the actor (0,).
    expect(plain.length).toBeLessThan(5 + 100 + 100 * (3 + 3 + 2) + 100)
    expect(plain.toString().split('2025-01-02').length - 1).toBe(1)
  })

  it('stores each time after the first as what follows the prefix it shares with the one before', () => {
    const times = Array.from({ length: 100 }, (_, i) =>
      new Date(Date.UTC(2026, 10, 29, 17, 0, i, i * 7)).toISOString(),
    )
    const keys: PayloadKey[] = times.map((updatedAt) => ({
      kind: 'config',
      updatedAt,
      updatedBy: 'mem_0000000000000000',
    }))
    const plain = encodePayload('', keys)
    expect(plain[0]).toBe(3)
    // Whole, each of the 100 times would take 27 bytes; shared prefixes leave about 11.
    expect(plain.length).toBeLessThan(5 + 100 + 100 * 5 + 100 * 11 + 100 * 3 + 80)
    expect(plain.toString().split('2026-11-29T17:00:').length - 1).toBe(1)
    expect(decodePayload(plain).keys).toEqual(keys)
    const withAddons = encodePayload('', keys, [{ name: 'db', vars: [] }])
    expect(withAddons[0]).toBe(4)
    expect(decodePayload(withAddons)).toEqual({
      text: '',
      keys,
      addons: [{ name: 'db', vars: [] }],
    })
  })

  it('lists each actor once however many stamped the keys (past the scanned few, a map)', () => {
    const actors = Array.from({ length: 40 }, (_, i) => `mem_${String(i).padStart(16, '0')}`)
    // Each actor twice, apart, then all again in reverse: the list only ever grows by new ones.
    const order = [...actors, ...actors, ...[...actors].reverse()]
    const keys: PayloadKey[] = order.map((updatedBy) => ({ kind: 'config', updatedBy }))
    const plain = encodePayload('', keys)
    expect(decodePayload(plain).keys).toEqual(keys)
    for (const actor of actors) expect(plain.toString().split(actor).length - 1).toBe(1)
  })

  it('still reads the formats written before (0x01, and 0x02 with add-ons)', () => {
    const legacy = (format: number, head: object, text: string) => {
      const json = Buffer.from(JSON.stringify(head))
      const size = Buffer.alloc(4)
      size.writeUInt32BE(json.length)
      return Buffer.concat([Buffer.from([format]), size, json, Buffer.from(text)])
    }
    const t = ['2025-01-02T03:04:05.678Z', '2025-01-02T03:04:09.000Z']
    const head = { c: 'sc', t, a: ['mem_a'], k: [0, 0, 1, -1] }
    const keys = [
      { kind: 'secret', updatedAt: t[0], updatedBy: 'mem_a' },
      { kind: 'config', updatedAt: t[1] },
    ]
    expect(decodePayload(legacy(1, head, 'A=1\nB=2\n'))).toEqual({ text: 'A=1\nB=2\n', keys })
    const addons = [{ name: 'pg', vars: [{ key: 'DATABASE_URL', value: 'x', kind: 'secret' }] }]
    expect(decodePayload(legacy(2, { ...head, o: addons }, ''))).toEqual({ text: '', keys, addons })
  })

  it('refuses a payload of another format or a truncated one with CRYPTO_ERROR', () => {
    const good = encodePayload('A=1\n', [{ kind: 'config' }])
    const bad = [
      Buffer.alloc(0),
      Buffer.from('A=1\n'),
      good.subarray(0, 8),
      Buffer.concat([Buffer.from([2]), good.subarray(1)]),
      Buffer.concat([Buffer.from([5]), good.subarray(1)]),
      Buffer.concat([Buffer.from([0]), good.subarray(1)]),
      compactWith({ t: ['2025-01-02T03:04:05.678Z', '9.000Z'], p: [0] }),
      compactWith({ t: ['2025-01-02T03:04:05.678Z', '9.000Z'], p: [0, 25] }),
      compactWith({ t: ['2025-01-02T03:04:05.678Z', '9.000Z'], p: [0, -1] }),
      compactWith({ t: ['2025-01-02T03:04:05.678Z', 9], p: [0, 3] }),
      compactWith({ t: ['2025-01-02T03:04:05.678Z', '9.000Z'] }),
      compactWith({ t: ['2025-01-02T03:04:05.678Z', '9.000Z'], p: [0, 1.5] }),
      compactWith({ t: ['2025-01-02T03:04:05.678Z', '9.000Z'], p: [0, 18], k: [0, -1] }),
      compactWith({ t: ['2025-01-02T03:04:05.678Z', '9.000Z'], p: [0, 18], k: [-1] }),
      compactWith({ t: ['2025-01-02T03:04:05.678Z', '9.000Z'], p: [0, 18], k: [-2, -1] }),
    ]
    // The same shape with a sound "p" opens: each refusal below is for its one flaw.
    const sound = compactWith({ t: ['2025-01-02T03:04:05.678Z', '9.000Z'], p: [0, 18] })
    expect(decodePayload(sound).keys.map((k) => k.updatedAt)).toEqual([
      '2025-01-02T03:04:05.678Z',
      '2025-01-02T03:04:09.000Z',
    ])
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

/** A compact-format payload of two config keys whose head has `times` ("t" and "p") as given. */
function compactWith(times: { t: unknown[]; p?: unknown[]; k?: unknown[] }): Buffer {
  const json = Buffer.from(JSON.stringify({ c: 'cc', a: [], k: [-1, -1], ...times }))
  const size = Buffer.alloc(4)
  size.writeUInt32BE(json.length)
  return Buffer.concat([Buffer.from([3]), size, json, Buffer.from('A=1\nB=2\n')])
}
