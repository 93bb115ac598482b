import dotenv from 'dotenv'
import { describe, expect, it } from 'vitest'
import { AppError } from '../errors.ts'
import { mergeDocument, type MergeChanges } from './merge.ts'
import { parseDocument } from './parse.ts'
import { entriesOf } from './project.ts'
import { serializeDocument } from './serialize.ts'

/** Merges into `text` and returns the new text plus the report. */
function merge(text: string, changes: MergeChanges) {
  const result = mergeDocument(parseDocument(text), changes)
  return { ...result, text: serializeDocument(result.doc) }
}

function thrown(fn: () => unknown): AppError {
  try {
    fn()
  } catch (err) {
    if (err instanceof AppError) return err
  }
  throw new Error('expected an AppError')
}

const BASE = [
  '# database',
  'DB_URL=postgres://db/app # primary',
  '',
  "export GREETING='hello world'",
  'API="abc"',
  'REF=${{project.SHARED}}',
  'PEM="-----BEGIN-----',
  'abc',
  '-----END-----"',
  '',
].join('\n')

describe('mergeDocument', () => {
  it('changes only the value of a set key; comments, blanks, order and references stay', () => {
    const r = merge(BASE, { set: { DB_URL: 'postgres://db/other' } })
    expect(r.text).toBe(BASE.replace('postgres://db/app', 'postgres://db/other'))
    expect(r).toMatchObject({ set: ['DB_URL'], changed: ['DB_URL'], added: [], removed: [] })
  })

  it('keeps the export prefix and quote style where the value allows', () => {
    const r = merge(BASE, { set: { GREETING: 'hi there', API: 'x y', PEM: 'one\ntwo' } })
    expect(r.text).toContain("export GREETING='hi there'\n")
    expect(r.text).toContain('API="x y"\n')
    expect(r.text).toContain('PEM="one\ntwo"\n')
    expect(dotenv.parse(r.text)).toMatchObject({
      GREETING: 'hi there',
      API: 'x y',
      PEM: 'one\ntwo',
    })
  })

  it('switches to the least surprising quote when the old style cannot carry the value', () => {
    const r = merge(BASE, { set: { GREETING: "it's", API: 'a\\nb #1', DB_URL: ' padded ' } })
    expect(r.text).toContain('export GREETING="it\'s"\n')
    expect(r.text).toContain("API='a\\nb #1'\n")
    expect(r.text).toContain("DB_URL=' padded ' # primary\n")
    expect(dotenv.parse(r.text)).toMatchObject({
      GREETING: "it's",
      API: 'a\\nb #1',
      DB_URL: ' padded ',
    })
  })

  it('leaves a line byte-identical when the value is already the same', () => {
    const text = 'A = "same"   # note\n'
    const r = merge(text, { set: { A: 'same' } })
    expect(r.text).toBe(text)
    expect(r.changed).toEqual([])
  })

  it('appends new keys at the end, with a final newline when the document had one', () => {
    const r = merge(BASE, {
      set: [
        ['NEW', 'v'],
        ['SPACED', 'a b #c'],
      ],
    })
    expect(r.text).toBe(`${BASE}NEW=v\nSPACED='a b #c'\n`)
    expect(r.added).toEqual(['NEW', 'SPACED'])
  })

  it('keeps a missing final newline missing, and CRLF line breaks CRLF', () => {
    expect(merge('A=1', { set: { B: '2' } }).text).toBe('A=1\nB=2')
    expect(merge('A=1\r\nB=2\r\n', { set: { C: 'x\ny' } }).text).toBe(
      "A=1\r\nB=2\r\nC='x\r\ny'\r\n",
    )
    expect(merge('A=1\nB=2', { delete: ['B'] }).text).toBe('A=1')
    expect(merge('', { set: { A: '1' } }).text).toBe('A=1\n')
    // An empty line before a deleted last entry keeps its break: without it, it would vanish.
    const r = merge('A=1\n\nB=2', { delete: ['B'] })
    expect(r.text).toBe('A=1\n\n')
    expect(r.doc.nodes).toEqual(parseDocument('A=1\n\n').nodes)
  })

  it('uses export for new keys when every existing entry is exported', () => {
    expect(merge('export A=1\n', { set: { B: '2' } }).text).toBe('export A=1\nexport B=2\n')
    expect(merge('export A=1\nC=3\n', { set: { B: '2' } }).text).toBe('export A=1\nC=3\nB=2\n')
  })

  it('sets an empty string as an empty value', () => {
    const r = merge('A=1 # c\nB="x"\n', { set: { A: '', B: '' } })
    expect(r.text).toBe('A= # c\nB=""\n')
    expect(dotenv.parse(r.text)).toEqual({ A: '', B: '' })
  })

  it('deletes every occurrence and reports removed and notFound', () => {
    const r = merge('A=1\n# keep\nB=2\nA=3\n', { delete: ['A', 'MISSING'] })
    expect(r.text).toBe('# keep\nB=2\n')
    expect(r).toMatchObject({ removed: ['A'], notFound: ['MISSING'] })
  })

  it('updates only the last (winning) occurrence of a duplicate key and reports it', () => {
    const r = merge('A=1\nB=2\nA=3\n', { set: { A: 'new' } })
    expect(r.text).toBe('A=1\nB=2\nA=new\n')
    expect(dotenv.parse(r.text).A).toBe('new')
    expect(r.duplicates).toEqual([{ key: 'A', lines: [1, 3] }])
  })

  it('renumbers lines after multi-line values change height', () => {
    const r = merge('A="1\n2\n3"\nB=x\nB=y\n', { set: { A: 'one' } })
    expect(r.doc.nodes.map((n) => n.line)).toEqual([1, 2, 3])
    expect(r.duplicates).toEqual([{ key: 'B', lines: [2, 3] }])
  })

  it('keeps the BOM and handles __proto__ as an ordinary key', () => {
    const r = merge('\ufeffA=1\n', { set: [['__proto__', 'x']], delete: ['A'] })
    expect(r.text).toBe('\ufeff__proto__=x\n')
    expect([...entriesOf(r.doc)]).toEqual([['__proto__', 'x']])
  })

  it('refuses bad keys and NUL values, naming each, and changes nothing', () => {
    const doc = parseDocument(BASE)
    const before = serializeDocument(doc)
    const err = thrown(() =>
      mergeDocument(doc, { set: { '1BAD': 'x', OK: 'a\0b', GOOD: 'y' }, delete: ['has space'] }),
    )
    expect(err.code).toBe('VALIDATION_FAILED')
    expect(err.errors.map((e) => e.key)).toEqual(['1BAD', 'OK', 'has space'])
    expect(serializeDocument(doc)).toBe(before)
  })

  it('refuses a key that is both set and deleted, or set twice', () => {
    const doc = parseDocument(BASE)
    expect(thrown(() => mergeDocument(doc, { set: { A: '1' }, delete: ['A'] })).errors).toEqual([
      { key: 'A', message: 'key is both set and deleted' },
    ])
    const twice = thrown(() =>
      mergeDocument(doc, {
        set: [
          ['A', '1'],
          ['A', '2'],
        ],
      }),
    )
    expect(twice.errors).toEqual([{ key: 'A', message: 'key is set more than once' }])
  })

  it('refuses unrepresentable values, naming every key and never the value', () => {
    const err = thrown(() =>
      mergeDocument(parseDocument(BASE), { set: { X: '\'"`\nS3CRET', Y: ' S3CRET\\', Z: 'ok' } }),
    )
    expect(err.code).toBe('UNREPRESENTABLE_VALUE')
    expect(err.errors.map((e) => e.key)).toEqual(['X', 'Y'])
    expect(JSON.stringify(err.errors) + err.message).not.toContain('S3CRET')
  })
})
