import { describe, expect, it } from 'vitest'
import { escapeReferences, findReferences, parseTemplate } from './scan.ts'

describe('findReferences', () => {
  it.each([
    ['${{HOST}}', [{ kind: 'env', name: 'HOST', start: 0, end: 9 }]],
    ['${{project.DB_URL}}', [{ kind: 'project', name: 'DB_URL', start: 0, end: 19 }]],
    [
      'x${{A}}y${{project.B}}',
      [
        { kind: 'env', name: 'A', start: 1, end: 7 },
        { kind: 'project', name: 'B', start: 8, end: 22 },
      ],
    ],
    ['${{ KEY }}', [{ kind: 'env', name: 'KEY', start: 0, end: 10 }]],
    ['${{\tproject.KEY  }}', [{ kind: 'project', name: 'KEY', start: 0, end: 19 }]],
    ['${{a.b-c}}', [{ kind: 'env', name: 'a.b-c', start: 0, end: 10 }]],
    ['${{project}}', [{ kind: 'env', name: 'project', start: 0, end: 12 }]],
  ])('%j', (value, refs) => {
    expect(findReferences(value)).toEqual(refs)
  })

  it.each([
    '$${{HOST}}',
    '$$${{HOST}}',
    '$VAR ${VAR} $$ pa$$word ${ {A}} $ {{A}} }}',
    'plain text',
    '',
    'a$${{b}}c$${{d',
  ])('finds no reference in %j (escapes and shell syntax are plain text)', (value) => {
    expect(findReferences(value)).toEqual([])
  })

  it.each([
    ['${{}}', 'reference name: key is empty'],
    ['${{1A}}', 'reference name: key must start with a letter or underscore'],
    ['${{A B}}', 'reference name: contains a space'],
    ['${{project.}}', 'reference name: key is empty'],
    ['${{project. A}}', 'reference name: contains a space'],
    ['${{A', 'unterminated reference: no closing }}'],
    ['${{A}', 'unexpected character inside ${{…}}'],
    ['${{A\n}}', 'unexpected character inside ${{…}}'],
    ['${{a"b}}', 'unexpected character inside ${{…}}'],
  ])('reports %j as malformed, with a hint and without the text', (value, reason) => {
    const [ref, ...rest] = findReferences(value)
    expect(rest).toEqual([])
    expect(ref).toMatchObject({ kind: 'malformed', start: 0 })
    expect(ref?.kind === 'malformed' && ref.reason).toBe(
      `${reason} (write $\${{ for a literal \${{)`,
    )
  })

  it('keeps scanning after a malformed reference', () => {
    expect(findReferences('${{ ${{B}}').map((r) => r.kind)).toEqual(['malformed', 'env'])
  })
})

describe('parseTemplate', () => {
  it('unescapes $${{ in text parts and splits around references', () => {
    expect(parseTemplate('a$${{b}}-${{C}}$')).toEqual([
      { kind: 'text', text: 'a${{b}}-' },
      { kind: 'env', name: 'C', start: 9, end: 15 },
      { kind: 'text', text: '$' },
    ])
  })
  it('reads a $ just before an escape as plain text', () => {
    expect(parseTemplate('$$${{X}}')).toEqual([{ kind: 'text', text: '$${{X}}' }])
  })
  it('returns no parts for the empty string', () => {
    expect(parseTemplate('')).toEqual([])
  })
})

describe('escapeReferences', () => {
  it.each([
    ['${{A}}', '$${{A}}'],
    ['$${{', '$$${{'],
    ['${{${{', '$${{$${{'],
    ['no refs $ {{ }}', 'no refs $ {{ }}'],
  ])('%j → %j', (text, escaped) => {
    expect(escapeReferences(text)).toBe(escaped)
  })
})
