import { AppError, type ErrorDetail } from '../errors.ts'
import { CR, HASH, LF, isSpace } from './chars.ts'
import { scanEntry } from './entry.ts'
import { checkComment, lineEndOf, startScan, type RawProblem, type Scan } from './scan.ts'
import type { EnvDocument, EnvNode, LineEnding } from './types.ts'

/** At most this many problems are listed; the message still counts them all. */
const MAX_LISTED_PROBLEMS = 100

/**
 * Parses dotenv text into a lossless document (npm dotenv's grammar, with the deliberate
 * differences of docs/dotenv-dialect.md); throws PARSE_ERROR listing every problem by line.
 */
export function parseDocument(text: string): EnvDocument {
  const bom = text.charCodeAt(0) === 0xfeff
  const base = bom ? 1 : 0
  const scan = startScan(text)
  const nodes: EnvNode[] = []
  const n = text.length
  let pos = base
  let line = 1
  while (pos < n) {
    const stop = scanStatement(scan, pos, line, nodes)
    line += 1 + (stop === scan.firstLineEnd ? 0 : countBreaks(text, pos, stop))
    pos = stop + eolAt(text, stop).length
  }
  const { problems } = scan
  if (text.includes('\0')) reportNul(text, base, problems)
  if (problems.length > 0) throw parseError(text, base, problems)
  return { bom, nodes }
}

/** Reads the statement starting at `start` into `nodes`; returns where its last line ends. */
function scanStatement(scan: Scan, start: number, line: number, nodes: EnvNode[]): number {
  const { text } = scan
  let i = start
  while (i < text.length && isSpace(text.charCodeAt(i))) i++
  const end = lineEndOf(scan, i)
  scan.firstLineEnd = end
  if (i === end) {
    nodes.push({ kind: 'blank', line, raw: text.slice(start, end), eol: eolAt(text, end) })
    return end
  }
  if (text.charCodeAt(i) === HASH) {
    checkComment(scan, i, end)
    nodes.push({ kind: 'comment', line, raw: text.slice(start, end), eol: eolAt(text, end) })
    return end
  }
  const e = scanEntry(scan, i, end)
  if (e.rejected) return e.end
  nodes.push({
    kind: 'entry',
    key: e.key,
    value: e.value,
    exported: e.exported,
    quote: e.quote,
    line,
    raw: text.slice(start, e.end),
    valueStart: e.valueStart - start,
    valueEnd: e.valueEnd - start,
    eol: eolAt(text, e.end),
  })
  return e.end
}

function eolAt(text: string, i: number): LineEnding {
  const c = text.charCodeAt(i)
  if (c === LF) return '\n'
  if (c !== CR) return ''
  return text.charCodeAt(i + 1) === LF ? '\r\n' : '\r'
}

/** Line breaks (LF, CRLF or CR each count once) inside `text[from, to)`. */
export function countBreaks(text: string, from: number, to: number): number {
  let count = 0
  for (let i = from; i < to; i++) {
    const c = text.charCodeAt(i)
    if (c === LF) count++
    else if (c === CR) {
      count++
      if (text.charCodeAt(i + 1) === LF) i++
    }
  }
  return count
}

function reportNul(text: string, base: number, problems: RawProblem[]): void {
  for (let i = text.indexOf('\0', base); i !== -1; i = text.indexOf('\0', i + 1)) {
    problems.push({ offset: i, message: 'NUL character (U+0000) is not allowed' })
  }
}

function parseError(text: string, base: number, problems: RawProblem[]): AppError {
  const sorted = [...problems].sort((a, b) => a.offset - b.offset)
  const details = locate(text, base, sorted.slice(0, MAX_LISTED_PROBLEMS))
  const first = details[0]
  const where = first === undefined ? '' : `; first at line ${first.line}: ${first.message}`
  const count = sorted.length === 1 ? '1 problem' : `${sorted.length} problems`
  return new AppError('PARSE_ERROR', `dotenv text has ${count}${where}`, details)
}

/** Turns sorted offsets into 1-based line and column (UTF-16 units after the BOM). */
function locate(text: string, base: number, sorted: readonly RawProblem[]): ErrorDetail[] {
  const out: ErrorDetail[] = []
  let line = 1
  let lineStart = base
  let i = base
  for (const p of sorted) {
    for (; i < p.offset; i++) {
      const c = text.charCodeAt(i)
      if (c === LF || (c === CR && text.charCodeAt(i + 1) !== LF)) {
        line++
        lineStart = i + 1
      }
    }
    out.push({ line, column: p.offset - lineStart + 1, message: p.message })
  }
  return out
}
