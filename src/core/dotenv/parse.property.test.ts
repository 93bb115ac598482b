import dotenv from 'dotenv'
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { isAppError } from '../errors.ts'
import { documentArb, wildDocumentArb } from './arbitraries.testkit.ts'
import { parseDocument } from './parse.ts'
import { entriesOf } from './project.ts'
import { serializeDocument } from './serialize.ts'

const RUNS = { numRuns: 1500 }

/** dotenv's object as ordered pairs; our keys never look like integers, so order is comparable. */
function oracle(text: string): Array<[string, string]> {
  return Object.entries(dotenv.parse(text))
}

describe('parseDocument properties', () => {
  it('serialize(parse(text)) === text for generated documents', () => {
    fc.assert(
      fc.property(documentArb, (text) => {
        expect(serializeDocument(parseDocument(text))).toBe(text)
      }),
      RUNS,
    )
  })

  it('the projection equals dotenv.parse on generated valid documents', () => {
    fc.assert(
      fc.property(documentArb, (text) => {
        expect([...entriesOf(parseDocument(text))]).toEqual(oracle(text))
      }),
      RUNS,
    )
  })

  it('on dotenv-looking noise: either PARSE_ERROR, or lossless and equal to dotenv.parse', () => {
    let accepted = 0
    fc.assert(
      fc.property(wildDocumentArb, (text) => {
        let doc
        try {
          doc = parseDocument(text)
        } catch (err) {
          expect(isAppError(err, 'PARSE_ERROR')).toBe(true)
          return
        }
        accepted++
        expect(serializeDocument(doc)).toBe(text)
        expect([...entriesOf(doc)]).toEqual(oracle(text))
      }),
      { numRuns: 3000 },
    )
    // The noise must exercise the accepting path too, not only errors.
    expect(accepted).toBeGreaterThan(300)
  })
})
