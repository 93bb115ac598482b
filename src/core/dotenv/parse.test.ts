import { describe, expect, it } from 'vitest'
import { AppError } from '../errors.ts'
import { parseDocument } from './parse.ts'
import { duplicateKeys, entriesOf } from './project.ts'
import { serializeDocument } from './serialize.ts'

function parseError(text: string): AppError {
  try {
    parseDocument(text)
  } catch (err) {
    if (err instanceof AppError) return err
  }
  throw new Error('expected a PARSE_ERROR')
}

describe('parseDocument: the lossless model', () => {
  it('keeps entries, comments and blanks with their exact text, line and line break', () => {
    const text = '# top\r\n\n  export  A = "x y" # note\rB=\'l1\nl2\'\nC=plain'
    const doc = parseDocument(text)
    expect(doc.bom).toBe(false)
    expect(doc.nodes).toEqual([
      { kind: 'comment', line: 1, raw: '# top', eol: '\r\n' },
      { kind: 'blank', line: 2, raw: '', eol: '\n' },
      {
        ...{ kind: 'entry', key: 'A', value: 'x y', exported: true, quote: 'double', line: 3 },
        ...{ raw: '  export  A = "x y" # note', valueStart: 14, valueEnd: 19, eol: '\r' },
      },
      {
        ...{ kind: 'entry', key: 'B', value: 'l1\nl2', exported: false, quote: 'single', line: 4 },
        ...{ raw: "B='l1\nl2'", valueStart: 2, valueEnd: 9, eol: '\n' },
      },
      {
        ...{ kind: 'entry', key: 'C', value: 'plain', exported: false, quote: 'none', line: 6 },
        ...{ raw: 'C=plain', valueStart: 2, valueEnd: 7, eol: '' },
      },
    ])
    expect(serializeDocument(doc)).toBe(text)
  })

  it('records a BOM apart from the first line and writes it back', () => {
    const doc = parseDocument('\ufeffexport A=b\n')
    expect(doc.bom).toBe(true)
    expect(doc.nodes[0]).toMatchObject({ raw: 'export A=b', key: 'A', value: 'b', line: 1 })
    expect(serializeDocument(doc)).toBe('\ufeffexport A=b\n')
  })

  it('reads multi-line values with CRLF inside as LF, like dotenv', () => {
    const doc = parseDocument('PEM="a\r\nb\r\nc"\r\nN=1\r\n')
    expect([...entriesOf(doc)]).toEqual([
      ['PEM', 'a\nb\nc'],
      ['N', '1'],
    ])
    expect(doc.nodes.map((n) => n.line)).toEqual([1, 4])
  })

  it('decodes only \\n and \\r, and only in double quotes', () => {
    const doc = parseDocument('D="a\\nb\\rc\\td\\\\e"\nS=\'a\\nb\'\nB=a\\nb\nT=`a\\`b`\n')
    expect(Object.fromEntries(entriesOf(doc))).toEqual({
      D: 'a\nb\rc\\td\\\\e',
      S: 'a\\nb',
      B: 'a\\nb',
      T: 'a\\`b',
    })
  })

  it('ends bare values at # and trims them; quotes keep inner blanks', () => {
    const doc = parseDocument('U=https://x/#frag\nE=#c\nQ="  # kept  " # gone\nN=\u00a0b\u00a0\n')
    expect(Object.fromEntries(entriesOf(doc))).toEqual({
      U: 'https://x/',
      E: '',
      Q: '  # kept  ',
      N: 'b',
    })
  })

  it('projects duplicates last-wins in first-appearance order and lists them with lines', () => {
    const doc = parseDocument('A=1\nB=2\nA=3\n\nB=4\nC=5\n')
    expect([...entriesOf(doc)]).toEqual([
      ['A', '3'],
      ['B', '4'],
      ['C', '5'],
    ])
    expect(duplicateKeys(doc)).toEqual([
      { key: 'A', lines: [1, 3] },
      { key: 'B', lines: [2, 5] },
    ])
  })

  it('gives an empty document for empty text', () => {
    expect(parseDocument('')).toEqual({ bom: false, nodes: [] })
  })
})

describe('parseDocument: errors', () => {
  it('reports every problem with its line and column, not only the first', () => {
    const err = parseError("OK=1\nno equals here\n1BAD=x\nQ=\"open\nR='x'y\nZ=a\0b\n")
    expect(err.code).toBe('PARSE_ERROR')
    expect(err.message).toBe(
      "dotenv text has 5 problems; first at line 2: expected KEY=value: the line has no '='",
    )
    expect(err.errors).toEqual([
      { line: 2, column: 1, message: "expected KEY=value: the line has no '='" },
      { line: 3, column: 1, message: 'invalid key: key must start with a letter or underscore' },
      {
        line: 4,
        column: 3,
        message:
          'unterminated double-quoted value: no closing quote followed by the end of a line or a # comment',
      },
      {
        line: 5,
        column: 6,
        message: 'unexpected text after the closing quote of the single-quoted value',
      },
      { line: 6, column: 4, message: 'NUL character (U+0000) is not allowed' },
    ])
  })

  it('counts lines across CRLF, CR and multi-line values', () => {
    const err = parseError('A="1\r\n2"\r\nB=2\rbad\n')
    expect(err.errors).toEqual([
      { line: 4, column: 1, message: "expected KEY=value: the line has no '='" },
    ])
  })

  it('lists at most 100 problems but counts them all', () => {
    const err = parseError('bad\n'.repeat(150))
    expect(err.errors).toHaveLength(100)
    expect(err.message).toMatch(/^dotenv text has 150 problems; first at line 1/)
    expect(err.errors[99]).toMatchObject({ line: 100 })
  })

  it('never puts value text in messages', () => {
    const secret = 'S3CRET-VALUE'
    const text = [
      `A="${secret}`,
      `B='${secret}'${secret}`,
      `${secret}`,
      `C=${secret}\0`,
      `# ${secret}\u2028D=1`,
      `E=${secret} # ${secret}\u2029`,
    ].join('\n')
    const err = parseError(text)
    expect(err.errors.length).toBeGreaterThanOrEqual(6)
    expect(err.message + JSON.stringify(err.errors)).not.toContain('S3CRET')
  })
})
