import dotenv from 'dotenv'
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { envArb, valueArb } from '../../../test/helpers/export-models/arbitraries.ts'
import { refusal } from '../../../test/helpers/export-models/refusal.ts'
import { isAppError } from '../errors.ts'
import { exportDotenv } from './dotenv.ts'

// npm dotenv drops a `__proto__` key when it builds its result object (research row 126).
const dotenvKey = fc
  .stringMatching(/^[A-Za-z_][A-Za-z0-9_.-]{0,8}$/)
  .filter((k) => k !== '__proto__')

function refused(key: string, value: string): boolean {
  try {
    exportDotenv([[key, value]])
    return false
  } catch (err) {
    if (isAppError(err, 'UNREPRESENTABLE_VALUE')) return true
    throw err
  }
}

describe('exportDotenv', () => {
  it('writes one KEY=value line each, quoting only when needed', () => {
    const env: [string, string][] = [
      ['PLAIN', 'postgres://u:p@h/db'],
      ['HASH', 'a#b'],
      ['MULTI', 'l1\nl2'],
      ['a.b-c', ' padded '],
    ]
    const text = exportDotenv(env)
    expect(text.split('\n')[0]).toBe('PLAIN=postgres://u:p@h/db')
    expect(text.split('\n')).toHaveLength(6)
    expect(dotenv.parse(text)).toEqual(Object.fromEntries(env))
  })

  it('refuses keys dotenv skips and values no quoting carries, each by key', () => {
    const err = refusal(() =>
      exportDotenv([
        ['ÄÖ', '1'],
        ['MY KEY', '2'],
        ['ALL', '\'"`\r'],
        ['OK', 'fine'],
      ]),
    )
    expect(err.errors.map((e) => e.key)).toEqual(['ÄÖ', 'MY KEY', 'ALL'])
    expect(err.errors[0]?.message).toBe(
      'cannot be exported as dotenv: dotenv keys allow only letters, digits, _, . and -',
    )
  })

  it('is read back exactly by npm dotenv.parse, regex and fast parsers (1,000 runs)', () => {
    let accepted = 0
    fc.assert(
      fc.property(envArb(dotenvKey, valueArb, 1, 10), (entries) => {
        const ok = entries.filter(([k, v]) => !refused(k, v))
        accepted += ok.length
        const text = exportDotenv(ok)
        const want = new Map(ok)
        expect(new Map(Object.entries(dotenv.parse(text)))).toEqual(want)
        expect(new Map(Object.entries(dotenv.parse(text, { fast: true })))).toEqual(want)
      }),
      { numRuns: 1_000 },
    )
    expect(accepted).toBeGreaterThan(3_000)
  })
})
