/**
 * fast-check generators for dotenv documents and values, shared by the property tests (this file
 * is imported by tests only).
 */
import fc from 'fast-check'

/** Keys valid for us and kept by dotenv (`__proto__` is dropped by its object assignment). */
export const keyArb = fc
  .stringMatching(/^[A-Za-z_][A-Za-z0-9_.-]{0,10}$/)
  .filter((k) => k !== '__proto__')

/** Characters that stress the grammar, plus any Unicode code point. */
const SPECIALS = ['#', '"', "'", '`', '\\', '=', '$', '${{project.K}}', '\\n', '\\r', ' ', '\t']
const charArb = fc.oneof(
  { weight: 3, arbitrary: fc.constantFrom(...SPECIALS, '\u00a0', '\ufeff', 'é', '😀') },
  { weight: 1, arbitrary: fc.constantFrom('\u2028', '\u2029') },
  { weight: 3, arbitrary: fc.constantFrom('a', 'B', '0', '-', ':', '.') },
  { weight: 2, arbitrary: fc.string({ unit: 'binary', minLength: 1, maxLength: 1 }) },
)

/** Arbitrary Unicode values (no NUL: values with NUL are refused before any writing). */
export const valueArb = fc
  .array(fc.oneof({ weight: 8, arbitrary: charArb }, fc.constantFrom('\n', '\r\n', '\r')), {
    maxLength: 14,
  })
  .map((parts) => parts.join('').replaceAll('\0', ''))

const wsArb = fc.constantFrom('', '', ' ', '  ', '\t', ' \u00a0')
const eolArb = fc.constantFrom('\n', '\n', '\r\n', '\r')

function lineText(s: string, dropHash: boolean): string {
  const cleaned = s.replace(/[\0\r\n\u2028\u2029]/g, '')
  return dropHash ? cleaned.replaceAll('#', '') : cleaned
}

const commentArb = fc.tuple(wsArb, valueArb).map(([ws, text]) => `${ws}#${lineText(text, false)}`)

const trailWsArb = fc.oneof(
  { weight: 6, arbitrary: wsArb },
  { weight: 1, arbitrary: fc.constantFrom(' \u2028', '\u2028 ') },
)
const trailArb = fc.tuple(
  trailWsArb,
  fc.option(
    commentArb.map((c) => c.trimStart()),
    { nil: '' },
  ),
)

/** A quoted body dotenv and we both close at its end: each inner quote follows a backslash. */
function quotedBody(raw: string, q: string): string {
  let out = ''
  for (const ch of raw.replaceAll('\0', '')) {
    if (ch === q && !out.endsWith('\\')) out += '\\'
    out += ch
  }
  return out.endsWith('\\') ? out + 'z' : out
}

const quotedArb = fc
  .tuple(fc.constantFrom("'", '"', '`'), valueArb, trailArb)
  .map(([q, body, [ws, comment]]) => {
    // A comment needs a blank before it only for readability; both forms are valid.
    return `${q}${quotedBody(body, q)}${q}${ws}${comment}`
  })

const bareArb = fc.tuple(valueArb, trailArb).map(([v, [ws, comment]]) => {
  // U+2028 stays: inside a bare value dotenv keeps it (and strips quote pairs around it).
  const text = v.replace(/[\0\r\n#]/g, '').replace(/^[\s'"`]+/, '')
  return `${text}${ws}${comment}`
})

const entryArb = fc
  .tuple(wsArb, fc.boolean(), fc.constantFrom(' ', '\t', '  '), keyArb, wsArb, wsArb)
  .chain(([lead, exported, exportWs, key, beforeEq, afterEq]) =>
    fc.oneof(bareArb, quotedArb).map((value) => {
      const head = `${lead}${exported ? `export${exportWs}` : ''}${key}${beforeEq}=${afterEq}`
      return head + value
    }),
  )

/** One line or statement of a valid document, without its line break. */
export const statementArb = fc.oneof(
  { weight: 6, arbitrary: entryArb },
  { weight: 2, arbitrary: commentArb },
  { weight: 1, arbitrary: wsArb },
)

/** Valid documents: entries of every style, comments, blanks, mixed line breaks, maybe a BOM. */
export const documentArb = fc
  .tuple(fc.boolean(), fc.array(fc.tuple(statementArb, eolArb), { maxLength: 12 }), fc.boolean())
  .map(([bom, lines, finalBreak]) => {
    const body = lines.map(([s, eol], i) => (i === lines.length - 1 && !finalBreak ? s : s + eol))
    return (bom ? '\ufeff' : '') + body.join('')
  })

/** Dotenv-looking noise: often invalid, sometimes valid in surprising ways. */
export const wildDocumentArb = fc
  .array(
    fc.oneof(
      { weight: 3, arbitrary: fc.constantFrom('\nA=', '\nb_ =', '\nexport A=', '\r\nC= ') },
      {
        weight: 10,
        arbitrary: fc.constantFrom('"', "'", '`', '\\', '#', ' ', '\n', '\r', 'x', ':', '='),
      },
      { weight: 1, arbitrary: fc.constantFrom('\u2028', '\u00a0', '\\n', 'export ', 'A') },
    ),
    { maxLength: 30 },
  )
  .map((parts) => 'K=' + parts.join(''))
