import { explainInvalidName } from '../variable-name.ts'

/**
 * A `${{…}}` found in a value. Positions are UTF-16 offsets into the value: `start` is the `$`,
 * `end` is just past the closing `}}`. `env` is `${{KEY}}` (same environment, system variables
 * included), `project` is `${{project.KEY}}`; `malformed` is a `${{` that does not form a
 * reference, which resolution reports instead of silently keeping it as text.
 */
export type Reference =
  | { kind: 'env' | 'project'; name: string; start: number; end: number }
  | { kind: 'malformed'; reason: string; start: number; end: number }

/** A value split into literal text (escapes already undone) and references, in order. */
export type TemplatePart = { kind: 'text'; text: string } | Reference

const OPEN = '${{'
const PROJECT_PREFIX = 'project.'
// Characters a reference body may hold: key characters plus the spaces and tabs we trim.
const BODY = /[A-Za-z0-9_.\- \t]*/y

/** The references in `value`, in order, with positions; `$${{` is an escaped literal, not one. */
export function findReferences(value: string): Reference[] {
  return parseTemplate(value).filter((part): part is Reference => part.kind !== 'text')
}

/**
 * Splits `value` into text and references in one linear pass.
 * `$${{` writes a literal `${{`; a lone `$`, `$VAR` and `${VAR}` are plain text so passwords
 * with `$` stay intact. Spaces or tabs just inside the braces are accepted and trimmed
 * (`${{ KEY }}` = `${{KEY}}`), matching the GitHub Actions habit users bring with them.
 * A name starting with `project.` always means the project scope. The grammar's one gap: a `$`
 * right before a reference reads as the escape, so keep another character between them.
 */
export function parseTemplate(value: string): TemplatePart[] {
  const parts: TemplatePart[] = []
  let text = ''
  let i = 0
  for (let at = value.indexOf(OPEN); at >= 0; at = value.indexOf(OPEN, i)) {
    if (at > i && value[at - 1] === '$') {
      text += value.slice(i, at - 1) + OPEN
      i = at + OPEN.length
      continue
    }
    text += value.slice(i, at)
    if (text !== '') parts.push({ kind: 'text', text })
    text = ''
    const ref = readReference(value, at)
    parts.push(ref)
    i = ref.kind === 'malformed' ? at + OPEN.length : ref.end
  }
  text += value.slice(i)
  if (text !== '') parts.push({ kind: 'text', text })
  return parts
}

/** Escapes every `${{` in literal text as `$${{`, so resolution gives the text back unchanged. */
export function escapeReferences(text: string): string {
  // A function replacer: in a replacement string `$$` would collapse to one `$`.
  return text.replaceAll(OPEN, () => '$' + OPEN)
}

function readReference(value: string, start: number): Reference {
  BODY.lastIndex = start + OPEN.length
  BODY.test(value)
  const bodyEnd = BODY.lastIndex
  if (!value.startsWith('}}', bodyEnd)) {
    const reason =
      bodyEnd >= value.length
        ? 'unterminated reference: no closing }}'
        : 'unexpected character inside ${{…}}'
    return { kind: 'malformed', reason: reason + hint, start, end: bodyEnd }
  }
  const end = bodyEnd + 2
  const body = value.slice(start + OPEN.length, bodyEnd).replace(/^[ \t]+|[ \t]+$/g, '')
  const project = body.startsWith(PROJECT_PREFIX)
  const name = project ? body.slice(PROJECT_PREFIX.length) : body
  const why = /[ \t]/.test(name) ? 'contains a space' : explainInvalidName(name)
  if (why !== undefined)
    return { kind: 'malformed', reason: `reference name: ${why}${hint}`, start, end }
  return { kind: project ? 'project' : 'env', name, start, end }
}

const hint = ' (write $${{ for a literal ${{)'
