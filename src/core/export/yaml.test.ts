import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import YAML from 'yaml'
import { envArb, valueArb } from '../../../test/helpers/export-models/arbitraries.ts'
import { exportYaml } from './yaml.ts'

const anyKey = fc
  .string({ unit: 'binary', minLength: 1, maxLength: 8 })
  .filter((k) => !k.includes('\0'))

function readBack(text: string, version: '1.1' | '1.2'): Map<string, unknown> {
  const doc = YAML.parse(text, { version, uniqueKeys: true }) as Record<string, unknown>
  return new Map(Object.entries(doc))
}

describe('exportYaml', () => {
  it('double-quotes keys and values so YAML never retypes them', () => {
    const env: [string, string][] = [
      ['yes', 'yes'],
      ['N', '0123'],
      ['NULL', 'null'],
      ['E', '1e3'],
      ['T', '~'],
      ['PEM', '-----BEGIN-----\nabc\n-----END-----\n'],
      ['C1', 'a\u0085b\u2028c\u007f'],
      ['__proto__', 'p'],
      ['<<', 'not a merge key'],
    ]
    const text = exportYaml(env)
    expect(text).toBe(
      [
        '"yes": "yes"',
        '"N": "0123"',
        '"NULL": "null"',
        '"E": "1e3"',
        '"T": "~"',
        '"PEM": "-----BEGIN-----\\nabc\\n-----END-----\\n"',
        '"C1": "a\\u0085b\\u2028c\\u007f"',
        '"__proto__": "p"',
        '"<<": "not a merge key"',
        '',
      ].join('\n'),
    )
    expect(readBack(text, '1.2')).toEqual(new Map(env))
    expect(readBack(text, '1.1')).toEqual(new Map(env))
  })

  it('writes {} for an empty environment', () => {
    expect(YAML.parse(exportYaml([]))).toEqual({})
  })

  it('is read back exactly by the yaml package as YAML 1.2 and 1.1 (1,000 runs)', () => {
    fc.assert(
      fc.property(envArb(anyKey, valueArb, 0, 10), (entries) => {
        const text = exportYaml(entries)
        expect(readBack(text, '1.2')).toEqual(new Map(entries))
        expect(readBack(text, '1.1')).toEqual(new Map(entries))
      }),
      { numRuns: 1_000 },
    )
  })
})
