import dotenv from 'dotenv'
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { isAppError } from '../errors.ts'
import { documentArb, keyArb, valueArb } from './arbitraries.testkit.ts'
import { mergeDocument } from './merge.ts'
import { parseDocument } from './parse.ts'
import { entriesOf } from './project.ts'
import { serializeDocument } from './serialize.ts'
import type { EnvDocument } from './types.ts'

/** A valid document plus sets and deletes drawn partly from its own keys. */
const caseArb = documentArb.chain((text) => {
  const keys = [...entriesOf(parseDocument(text)).keys()]
  const keyChoice = keys.length === 0 ? keyArb : fc.oneof(fc.constantFrom(...keys), keyArb)
  return fc.tuple(
    fc.constant(text),
    fc.uniqueArray(fc.tuple(keyChoice, valueArb), { selector: ([k]) => k, maxLength: 5 }),
    fc.uniqueArray(keyChoice, { maxLength: 3 }),
  )
})

/** Old projection, minus deletes, plus sets (existing keys keep their place, new ones append). */
function expected(old: Map<string, string>, set: Array<[string, string]>, del: string[]) {
  const out = new Map(old)
  for (const k of del) out.delete(k)
  for (const [k, v] of set) out.set(k, v)
  return [...out]
}

/** Indexes of the entries a set rewrites: the last occurrence of each key whose value differs. */
function rewritten(doc: EnvDocument, set: Map<string, string>): Set<number> {
  const last = new Map<string, number>()
  doc.nodes.forEach((n, i) => n.kind === 'entry' && last.set(n.key, i))
  const out = new Set<number>()
  for (const [key, i] of last) {
    const node = doc.nodes[i]
    if (node?.kind === 'entry' && set.has(key) && set.get(key) !== node.value) out.add(i)
  }
  return out
}

describe('mergeDocument properties', () => {
  it('keeps untouched lines byte-identical and yields old + set − delete', () => {
    fc.assert(
      fc.property(caseArb, ([text, set, rawDel]) => {
        const del = rawDel.filter((k) => !set.some(([s]) => s === k))
        const doc = parseDocument(text)
        let result
        try {
          result = mergeDocument(doc, { set, delete: del })
        } catch (err) {
          expect(isAppError(err, 'UNREPRESENTABLE_VALUE')).toBe(true)
          return
        }
        const out = serializeDocument(result.doc)
        const want = expected(entriesOf(doc), set, del)
        expect([...entriesOf(parseDocument(out))]).toEqual(want)
        expect(Object.entries(dotenv.parse(out))).toEqual(want)
        // A lone CR followed by an empty line reads back as one CRLF: same bytes, other lines.
        if (!/\r(?!\n)/.test(text)) expect(parseDocument(out).nodes).toEqual(result.doc.nodes)

        const drop = new Set(del)
        const touched = rewritten(doc, new Map(set))
        const kept = doc.nodes.flatMap((n, i) =>
          n.kind === 'entry' && drop.has(n.key) ? [] : [{ n, changed: touched.has(i) }],
        )
        kept.forEach(({ n, changed }, i) => {
          const now = result.doc.nodes[i]
          if (now === undefined) throw new Error('node lost')
          if (i < kept.length - 1) expect(now.eol).toBe(n.eol)
          if (!changed) return expect(now.raw).toBe(n.raw)
          if (n.kind !== 'entry' || now.kind !== 'entry') throw new Error('entry expected')
          const head = n.raw.slice(0, n.valueStart)
          const tail = n.raw.slice(n.valueEnd)
          expect(now.raw.length).toBeGreaterThanOrEqual(head.length + tail.length)
          expect(now.raw.startsWith(head) && now.raw.endsWith(tail)).toBe(true)
        })
        const old = entriesOf(doc)
        expect(result.added).toEqual(set.filter(([k]) => !old.has(k)).map(([k]) => k))
        expect(result.changed).toEqual(
          set.filter(([k, v]) => old.has(k) && old.get(k) !== v).map(([k]) => k),
        )
        expect(result.removed).toEqual(del.filter((k) => old.has(k)))
        expect(result.notFound).toEqual(del.filter((k) => !old.has(k)))
      }),
      { numRuns: 1500 },
    )
  })
})
