import { BACKSLASH, CR, HASH, LF, isLineSeparator, isSpace } from './chars.ts'

/** Where a quoted value closes, or why it does not. */
export type QuotedScan =
  | { readonly ok: true; readonly close: number }
  | { readonly ok: false; readonly sameLine: boolean; readonly close: number }

/**
 * True when dotenv's regex accepts the text after a closing quote at `q`: blanks, then the end of
 * a line (U+2028 and U+2029 included, as for JS `$`) or a `#`.
 */
function tailEndsStatement(text: string, q: number): boolean {
  const n = text.length
  let w = q + 1
  while (w < n) {
    const c = text.charCodeAt(w)
    if (isLineSeparator(c) || !isSpace(c)) break
    w++
  }
  if (w === n) return true
  const c = text.charCodeAt(w)
  return c === LF || c === CR || c === HASH || isLineSeparator(c)
}

/**
 * Finds the closing quote for the quote at `open` exactly as dotenv's regex backtracks: the body
 * may hold the quote only right after a backslash, so the candidates are every such quote up to
 * the first bare one, and the furthest whose tail ends the statement wins.
 */
export function scanQuoted(text: string, open: number): QuotedScan {
  const quote = text[open] ?? ''
  let best = -1
  let s = text.indexOf(quote, open + 1)
  let last = -1
  while (s !== -1) {
    last = s
    if (tailEndsStatement(text, s)) best = s
    if (text.charCodeAt(s - 1) !== BACKSLASH) break
    s = text.indexOf(quote, s + 1)
  }
  if (best !== -1) return { ok: true, close: best }
  return { ok: false, sameLine: last !== -1 && !hasLineBreak(text, open, last), close: last }
}

function hasLineBreak(text: string, from: number, to: number): boolean {
  for (let i = from; i < to; i++) {
    const c = text.charCodeAt(i)
    if (c === LF || c === CR) return true
  }
  return false
}

/**
 * The value dotenv gives for the text between the quotes: line breaks become LF (dotenv
 * normalises CRLF and CR first) and, in double quotes only, `\n` and `\r` become LF and CR.
 */
export function decodeQuoted(body: string, quote: number): string {
  let value = body.includes('\r') ? body.replace(/\r\n?/g, '\n') : body
  if (quote === 0x22 && value.includes('\\')) {
    value = value.replace(/\\n/g, '\n').replace(/\\r/g, '\r')
  }
  return value
}
