// `changedKey` (the PUT of one variable) must name exactly what `changedKeys` finds by comparing
// the whole merged document with the state, on documents of every shape a user can store.
import { describe, expect, it } from 'vitest'
import { entriesOf, mergeDocument, parseDocument } from '../../src/core/dotenv/index.ts'
import type { DocState, KeyMeta } from '../../src/services/documents/document-state.ts'
import { changedKey, changedKeys } from '../../src/services/variables/var-rules.ts'
import type { KeyKind } from '../../src/storage/store.ts'

const TEXTS = [
  '',
  'A=1\n',
  'A=1\nB=2\nC=3',
  '# comment\nexport A=1\n\nB="two words"\r\n',
  // A repeated key: the last line wins, and a set rewrites only that one.
  'A=1\nB=2\nA=3\n',
  'A=\'x\'\nB="multi\nline"\nC=\n',
]

function stateOf(text: string, secrets: readonly string[]): DocState {
  const doc = parseDocument(text)
  const values = entriesOf(doc)
  const meta = new Map<string, KeyMeta>()
  for (const key of values.keys())
    meta.set(key, { kind: secrets.includes(key) ? 'secret' : 'config' })
  const scope = { workspaceId: 'wsp', projectId: 'prj', environmentId: 'env' }
  return { scope, revision: 1, revisionId: 'rev', updatedAt: null, doc, values, meta, addons: [] }
}

describe('changedKey', () => {
  const values = ['', '1', '2', '3', 'x', 'two words', 'multi\nline', 'new value']
  const kinds: KeyKind[] = ['config', 'secret']
  for (const text of TEXTS) {
    it(`agrees with changedKeys of the merged document: ${JSON.stringify(text)}`, () => {
      for (const secrets of [[], ['A'], ['A', 'B', 'C']]) {
        const state = stateOf(text, secrets)
        for (const key of ['A', 'B', 'C', 'NEW'])
          for (const value of values)
            for (const kind of kinds) {
              const doc = mergeDocument(state.doc, { set: [[key, value]] }).doc
              const expected = changedKeys(state, doc, new Map([[key, kind]]))
              expect(changedKey(state, key, value, kind), `${key}=${value} ${kind}`).toEqual(
                expected,
              )
            }
      }
    })
  }
})
