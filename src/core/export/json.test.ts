import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { envArb, valueArb } from '../../../test/helpers/export-models/arbitraries.ts'
import { refusal } from '../../../test/helpers/export-models/refusal.ts'
import { exportJson } from './json.ts'

const anyKey = fc
  .string({ unit: 'binary', minLength: 1, maxLength: 8 })
  .filter((k) => !k.includes('\0'))

describe('exportJson', () => {
  it('writes an object in the given order, __proto__ as an ordinary key', () => {
    const text = exportJson([
      ['B', '2'],
      ['__proto__', 'x'],
      ['A', 'line\n"q"'],
    ])
    expect(text).toBe('{\n  "B": "2",\n  "__proto__": "x",\n  "A": "line\\n\\"q\\""\n}\n')
    const back = JSON.parse(text) as Record<string, string>
    expect(Object.getPrototypeOf(back)).toBe(Object.prototype)
    expect(Object.entries(back)).toEqual([
      ['B', '2'],
      ['__proto__', 'x'],
      ['A', 'line\n"q"'],
    ])
  })

  it('writes {} for an empty environment', () => {
    expect(exportJson(new Map())).toBe('{}\n')
  })

  it('refuses NUL, lone surrogates and duplicate keys, naming each key', () => {
    const err = refusal(() =>
      exportJson([
        ['A', '\0'],
        ['B', 'x\ud800'],
        ['C', '1'],
        ['C', '2'],
      ]),
    )
    expect(err.errors).toEqual([
      { key: 'A', message: 'cannot be exported as JSON: the value contains a NUL character' },
      {
        key: 'B',
        message: 'cannot be exported as JSON: it is not well-formed Unicode (a lone surrogate)',
      },
      { key: 'C', message: 'cannot be exported as JSON: the key appears more than once' },
    ])
  })

  it('is read back exactly by JSON.parse (1,000 runs, any keys and values)', () => {
    fc.assert(
      fc.property(envArb(anyKey, valueArb, 0, 10), (entries) => {
        const back = JSON.parse(exportJson(entries)) as Record<string, string>
        expect(new Map(Object.entries(back))).toEqual(new Map(entries))
      }),
      { numRuns: 1_000 },
    )
  })
})
