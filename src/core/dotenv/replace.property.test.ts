import dotenv from 'dotenv'
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { isAppError } from '../errors.ts'
import { keyArb, valueArb } from './arbitraries.testkit.ts'
import { parseDocument } from './parse.ts'
import { entriesOf } from './project.ts'
import { replaceDocument } from './replace.ts'
import { serializeDocument } from './serialize.ts'

/** True when `v` holds quote `q` without a backslash right before it. */
function hasBareQuote(v: string, q: string): boolean {
  for (let i = v.indexOf(q); i !== -1; i = v.indexOf(q, i + 1)) if (v[i - 1] !== '\\') return true
  return false
}

/**
 * The shapes no dotenv quoting can carry (docs/dotenv-dialect.md), restated apart from value.ts:
 * the value needs quotes (edge blanks, `#`, a line break, U+2028/U+2029, a leading quote) and all
 * quotes are blocked. `'` and a backtick are blocked by an unescaped own quote or a CR (which only `\r` in
 * double quotes carries); `"` by an unescaped `"` (after CR becomes `\r`) or a literal `\n`/`\r`
 * that it would decode; all three by a final backslash, which would escape the closing quote.
 */
function isUnrepresentableShape(v: string): boolean {
  const needsQuotes = /^\s|\s$|[#\r\n\u2028\u2029]|^['"`]/.test(v)
  if (!needsQuotes) return false
  if (v.endsWith('\\')) return true
  const cr = v.includes('\r')
  const single = cr || hasBareQuote(v, "'")
  const backtick = cr || hasBareQuote(v, '`')
  const double = /\\[nr]/.test(v) || hasBareQuote(v.replaceAll('\r', '\\r'), '"')
  return single && backtick && double
}

const mapArb = fc.uniqueArray(fc.tuple(keyArb, valueArb), {
  selector: ([k]) => k,
  maxLength: 8,
})

describe('replaceDocument properties', () => {
  it('dotenv.parse(serialize(replaceDocument(map))) equals the map, or the value is unrepresentable', () => {
    let written = 0
    fc.assert(
      fc.property(mapArb, (pairs) => {
        let text: string
        try {
          text = serializeDocument(replaceDocument(pairs))
        } catch (err) {
          expect(isAppError(err, 'UNREPRESENTABLE_VALUE')).toBe(true)
          if (!isAppError(err)) return
          const byKey = new Map(pairs)
          expect(err.errors.length).toBeGreaterThan(0)
          for (const e of err.errors)
            expect(isUnrepresentableShape(byKey.get(e.key ?? '') ?? '')).toBe(true)
          return
        }
        written++
        expect(Object.entries(dotenv.parse(text))).toEqual(pairs)
        expect([...entriesOf(parseDocument(text))]).toEqual(pairs)
      }),
      { numRuns: 2000 },
    )
    expect(written).toBeGreaterThan(1000)
  })

  it('every value outside the unrepresentable shapes is written', () => {
    fc.assert(
      fc.property(keyArb, valueArb, (key, value) => {
        fc.pre(!isUnrepresentableShape(value))
        const text = serializeDocument(replaceDocument([[key, value]]))
        expect(dotenv.parse(text)[key]).toBe(value)
      }),
      { numRuns: 1000 },
    )
  })
})
