// A preview of what the server will read from pasted dotenv text: the entries, and each problem
// with its line. The server parses again on apply (src/core/dotenv) and is the judge; this copy
// of the grammar exists because the dashboard may import only src/api and src/client.
// test/web/dotenv-preview.test.ts checks it against the server's parser on generated documents.
import { explainKey } from './key-rule.ts'

export interface PreviewEntry {
  key: string
  value: string
  line: number
  /** The line ends with a `# secret` comment: the key is stored as a secret. */
  secret: boolean
}

export interface PreviewProblem {
  line: number
  message: string
}

export interface Preview {
  entries: PreviewEntry[]
  problems: PreviewProblem[]
}

const SPACE = /[^\S\r\n]/
const isSpace = (ch: string | undefined) => ch !== undefined && SPACE.test(ch)
const isBreak = (ch: string | undefined) => ch === '\n' || ch === '\r'
const KEY_AT = /[A-Za-z_][A-Za-z0-9_.-]*/y
const SECRET_MARK = /#\s*secret\s*$/i
const QUOTE_NAMES: Record<string, string> = { "'": 'single', '"': 'double', '`': 'backtick' }

interface Scanner {
  text: string
  problems: Array<{ offset: number; message: string }>
  entries: Array<Omit<PreviewEntry, 'line'> & { offset: number }>
}

function lineEnd(text: string, from: number): number {
  let i = from
  while (i < text.length && !isBreak(text[i])) i++
  return i
}

function skipSpaces(text: string, from: number, end: number): number {
  let i = from
  while (i < end && isSpace(text[i])) i++
  return i
}

/** After `export` and blanks, unless `export` is itself the key (`export=1`). */
function keyStart(text: string, i: number, end: number): number {
  if (!text.startsWith('export', i) || i + 6 >= end || !isSpace(text[i + 6])) return i
  const j = skipSpaces(text, i + 7, end)
  return j < end && text[j] !== '=' ? j : i
}

function reject(s: Scanner, i: number, start: number, end: number): number {
  const eq = s.text.indexOf('=', start)
  if (eq === -1 || eq >= end) {
    const yaml = s.text.slice(start, end).includes(':')
    const hint = yaml ? " (YAML-style 'KEY: value' is not supported)" : ''
    s.problems.push({ offset: i, message: `expected KEY=value: the line has no '='${hint}` })
    return end
  }
  let e = eq
  while (e > start && isSpace(s.text[e - 1])) e--
  const why = explainKey(s.text.slice(start, e)) ?? 'key is not valid'
  s.problems.push({ offset: start, message: `invalid key: ${why}` })
  return end
}

/** True when only blanks, then a line end, the text's end or `#`, follow the quote at `q`. */
function endsStatement(text: string, q: number): boolean {
  let w = q + 1
  while (w < text.length && isSpace(text[w]) && !/[\u2028\u2029]/.test(text[w] ?? '')) w++
  const c = text[w]
  return c === undefined || isBreak(c) || c === '#' || c === '\u2028' || c === '\u2029'
}

/** The closing quote: the furthest escaped-or-last candidate whose tail ends the statement. */
function findClose(text: string, open: number): { close: number; last: number } {
  const q = text[open] ?? '"'
  let best = -1
  let last = -1
  for (let s = text.indexOf(q, open + 1); s !== -1; s = text.indexOf(q, s + 1)) {
    last = s
    if (endsStatement(text, s)) best = s
    if (text[s - 1] !== '\\') break
  }
  return { close: best, last }
}

function quoted(s: Scanner, key: string, open: number, end: number): number {
  const { text } = s
  const q = text[open] ?? '"'
  const style = QUOTE_NAMES[q] ?? 'double'
  const { close, last } = findClose(text, open)
  if (close === -1) {
    const sameLine = last !== -1 && !/[\r\n]/.test(text.slice(open, last))
    s.problems.push(
      sameLine
        ? {
            offset: skipSpaces(text, last + 1, text.length),
            message: `unexpected text after the closing quote of the ${style}-quoted value`,
          }
        : {
            offset: open,
            message: `unterminated ${style}-quoted value: no closing quote followed by the end of a line or a # comment`,
          },
    )
    return end
  }
  const stop = lineEnd(text, close + 1)
  const t = skipSpaces(text, close + 1, stop)
  if (t < stop && text[t] !== '#') {
    const message = `unexpected text after the closing quote of the ${style}-quoted value`
    s.problems.push({ offset: t, message })
    return stop
  }
  let value = text.slice(open + 1, close).replace(/\r\n?/g, '\n')
  if (q === '"') value = value.replace(/\\n/g, '\n').replace(/\\r/g, '\r')
  const secret = SECRET_MARK.test(text.slice(close + 1, stop))
  s.entries.push({ key, value, secret, offset: open })
  return stop
}

function entry(s: Scanner, i: number, end: number): number {
  const { text } = s
  const start = keyStart(text, i, end)
  KEY_AT.lastIndex = start
  const key = KEY_AT.exec(text)?.[0]
  const afterKey = key === undefined ? start : start + key.length
  const eq = skipSpaces(text, afterKey, end)
  if (key === undefined || key.length > 256 || eq >= end || text[eq] !== '=') {
    return reject(s, i, start, end)
  }
  const vs = skipSpaces(text, eq + 1, end)
  const first = text[vs]
  if (vs < end && first !== undefined && QUOTE_NAMES[first] !== undefined) {
    return quoted(s, key, vs, end)
  }
  const hash = text.indexOf('#', vs)
  let ve = hash === -1 || hash > end ? end : hash
  while (ve > vs && isSpace(text[ve - 1])) ve--
  const secret = SECRET_MARK.test(text.slice(ve, end))
  s.entries.push({ key, value: text.slice(vs, ve), secret, offset: vs })
  return end
}

/** Reads pasted dotenv text; problems point at 1-based lines, as the server's errors do. */
export function previewDotenv(text: string): Preview {
  const s: Scanner = { text, problems: [], entries: [] }
  let pos = text.startsWith('\uFEFF') ? 1 : 0
  while (pos < text.length) {
    const i = skipSpaces(text, pos, text.length)
    const end = lineEnd(text, i)
    const stop = i === end || text[i] === '#' ? end : entry(s, i, end)
    pos = stop + (text.startsWith('\r\n', stop) ? 2 : isBreak(text[stop]) ? 1 : 0)
  }
  for (let i = text.indexOf('\0'); i !== -1; i = text.indexOf('\0', i + 1)) {
    s.problems.push({ offset: i, message: 'NUL character (U+0000) is not allowed' })
  }
  const lineOf = lineCounter(text)
  return {
    entries: s.entries.map(({ offset, ...e }) => ({ ...e, line: lineOf(offset) })),
    problems: s.problems
      .sort((a, b) => a.offset - b.offset)
      .map((p) => ({ line: lineOf(p.offset), message: p.message })),
  }
}

/** 1-based line of an offset: LF, CRLF and a lone CR each end a line. */
function lineCounter(text: string): (offset: number) => number {
  const starts = [0]
  for (let i = 0; i < text.length; i++) {
    const c = text[i]
    if (c === '\n' || (c === '\r' && text[i + 1] !== '\n')) starts.push(i + 1)
  }
  return (offset) => {
    let lo = 0
    let hi = starts.length - 1
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1
      if ((starts[mid] ?? 0) <= offset) lo = mid
      else hi = mid - 1
    }
    return lo + 1
  }
}
