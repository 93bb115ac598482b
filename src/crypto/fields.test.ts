import { describe, expect, it } from 'vitest'
import { byteReader, encodeFields, encodeShortString, readShortString } from './fields.ts'

describe('encodeFields', () => {
  it('length-prefixes the label and every field (u32 big-endian)', () => {
    expect(encodeFields('L', ['ab', '']).toString('hex')).toBe(
      '00000001' + '4c' + '00000002' + '6162' + '00000000',
    )
  })

  it('never encodes two different field lists alike', () => {
    const pairs: [string[], string[]][] = [
      [
        ['ab', 'c'],
        ['a', 'bc'],
      ],
      [
        ['a', ''],
        ['', 'a'],
      ],
      [['a'], ['a', '']],
      [['é'], ['\u00c3\u00a9']],
    ]
    for (const [x, y] of pairs)
      expect(encodeFields('t', x).equals(encodeFields('t', y))).toBe(false)
    expect(encodeFields('a', ['b']).equals(encodeFields('ab', []))).toBe(false)
  })
})

describe('short strings', () => {
  it('round-trip printable ASCII ids', () => {
    const id = 'dk_0123456789abcdef:v3'
    expect(readShortString(byteReader(encodeShortString(id)))).toBe(id)
  })

  it('refuse bytes outside printable ASCII, including a set high bit', () => {
    const bytes = encodeShortString('abc')
    bytes[2]! |= 0x80
    expect(() => readShortString(byteReader(bytes))).toThrow(RangeError)
    expect(() => readShortString(byteReader(Buffer.from([0])))).toThrow(RangeError)
    expect(() => readShortString(byteReader(Buffer.from([5, 0x61])))).toThrow(RangeError)
    expect(() => encodeShortString('é')).toThrow(RangeError)
    expect(() => encodeShortString('a b')).toThrow(RangeError)
    expect(() => encodeShortString('x'.repeat(256))).toThrow(RangeError)
  })
})
