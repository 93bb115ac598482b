// The dashboard's paste preview reads dotenv text as the server will (src/core/dotenv): the same
// entries on the same lines, the same `# secret` marks, and the same problems on the same lines.
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { documentArb, wildDocumentArb } from '../../src/core/dotenv/arbitraries.testkit.ts'
import { DOTENV_CASES } from '../../src/core/dotenv/cases.fixture.ts'
import { parseDocument } from '../../src/core/dotenv/index.ts'
import { isAppError } from '../../src/core/errors.ts'
import { previewDotenv, type Preview } from '../../web/src/lib/dotenv-preview.ts'

const SECRET_MARK = /#\s*secret\s*$/i

// U+2028/U+2029 inside a line are a corner of npm dotenv's regex the server reproduces and the
// preview does not; the server still judges such text on apply.
const plain = (text: string) => !/[\u2028\u2029]/.test(text)

/** What the server's parser reads, in the preview's shape. */
function serverView(text: string): Preview {
  try {
    const doc = parseDocument(text)
    const entries = doc.nodes.flatMap((n) =>
      n.kind === 'entry'
        ? [
            {
              key: n.key,
              value: n.value,
              line: n.line,
              secret: SECRET_MARK.test(n.raw.slice(n.valueEnd)),
            },
          ]
        : [],
    )
    return { entries, problems: [] }
  } catch (err) {
    if (!isAppError(err, 'PARSE_ERROR')) throw err
    return {
      entries: [],
      problems: err.errors.map((e) => ({ line: e.line ?? 0, message: e.message })),
    }
  }
}

/** The preview, with entries dropped when it found problems (the server refuses the text then). */
function previewView(text: string): Preview {
  const p = previewDotenv(text)
  return p.problems.length > 0 ? { entries: [], problems: p.problems } : p
}

describe('dotenv paste preview against the server parser', () => {
  it('agrees on generated valid documents (entries, lines, secret marks)', () => {
    fc.assert(
      fc.property(documentArb.filter(plain), (text) => {
        expect(previewView(text)).toEqual(serverView(text))
      }),
      { numRuns: 2000 },
    )
  })

  it('agrees on dotenv-looking noise: the same problems on the same lines, or the same entries', () => {
    let rejected = 0
    fc.assert(
      fc.property(wildDocumentArb.filter(plain), (text) => {
        const server = serverView(text)
        if (server.problems.length > 0) rejected++
        expect(previewView(text)).toEqual(server)
      }),
      { numRuns: 3000 },
    )
    expect(rejected).toBeGreaterThan(300)
  })

  it.each(DOTENV_CASES.filter((c) => plain(c.input)).map((c) => [c.n, c.id, c.input] as const))(
    'agrees on measured case %i (%s)',
    (_n, _id, input) => {
      expect(previewView(input)).toEqual(serverView(input))
    },
  )

  it('points each problem at its line, as a user reads it', () => {
    const text = '# ok\nA=1\nnot an entry\nB C=2\nD="unterminated\n\nE: yaml\n'
    expect(previewDotenv(text).problems).toEqual([
      { line: 3, message: "expected KEY=value: the line has no '='" },
      {
        line: 4,
        message:
          'invalid key: key contains whitespace at position 2; allowed are letters, digits, _ . -',
      },
      {
        line: 5,
        message:
          'unterminated double-quoted value: no closing quote followed by the end of a line or a # comment',
      },
      {
        line: 7,
        message:
          "expected KEY=value: the line has no '=' (YAML-style 'KEY: value' is not supported)",
      },
    ])
    expect(serverView(text).problems).toEqual(previewDotenv(text).problems)
  })

  it('reads multi-line quoted values, comments, export and `# secret` marks', () => {
    const text =
      'export A=1 # secret\nB="line one\nline two" # secret\n# note\nC=\'x # y\'\nD=plain # comment\n'
    expect(previewDotenv(text)).toEqual({
      entries: [
        { key: 'A', value: '1', line: 1, secret: true },
        { key: 'B', value: 'line one\nline two', line: 2, secret: true },
        { key: 'C', value: 'x # y', line: 5, secret: false },
        { key: 'D', value: 'plain', line: 6, secret: false },
      ],
      problems: [],
    })
  })
})
