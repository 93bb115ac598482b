import { describe, expect, it } from 'vitest'
import { entriesOf, mergeDocument, parseDocument } from '../../src/core/dotenv/index.ts'
import { valuesOf } from '../../src/services/documents/doc-values.ts'

describe('valuesOf (a document projected to key → value once)', () => {
  it("gives the document's projection, the same map on every call, per document", () => {
    const doc = parseDocument('A=1\nB=2\nA=3\n')
    const values = valuesOf(doc)
    expect([...values]).toEqual([...entriesOf(doc)])
    expect([...values]).toEqual([
      ['A', '3'],
      ['B', '2'],
    ])
    expect(valuesOf(doc)).toBe(values)
    const next = mergeDocument(doc, { set: [['B', '4']] }).doc
    expect([...valuesOf(next)]).toEqual([
      ['A', '3'],
      ['B', '4'],
    ])
    expect(valuesOf(doc)).toBe(values)
  })

  it("leaves the document's own fields as they were: copies and comparisons see no cache", () => {
    const doc = parseDocument('A=1\n')
    const before = { ...doc }
    valuesOf(doc)
    expect(Object.keys(doc)).toEqual(Object.keys(before))
    expect({ ...doc }).toEqual(before)
    expect(doc).toEqual(parseDocument('A=1\n'))
    expect(JSON.stringify(doc)).toBe(JSON.stringify(before))
  })

  it('projects a frozen document without caching on it', () => {
    const doc = Object.freeze(parseDocument('A=1\nA=2\n'))
    expect([...valuesOf(doc)]).toEqual([['A', '2']])
    expect([...valuesOf(doc)]).toEqual([['A', '2']])
  })
})
