import { HASH, indexOfInLine, isQuote, isSpace } from './chars.ts'
import { decodeQuoted, scanQuoted } from './quoted.ts'
import { checkComment, lineEndOf, type RejectedEntry, type Scan } from './scan.ts'
import type { QuoteStyle } from './types.ts'

/** An entry as the scanner reads it; `end` is where its last line ends (before the break). */
export interface ScannedEntry {
  readonly rejected: false
  readonly key: string
  readonly exported: boolean
  readonly value: string
  readonly quote: QuoteStyle
  readonly valueStart: number
  readonly valueEnd: number
  readonly end: number
}

const STYLE_OF_QUOTE: Record<number, QuoteStyle> = {
  0x27: 'single',
  0x22: 'double',
  0x60: 'backtick',
}

/** dotenv strips a quote pair after any U+2028/U+2029 too, since its `^`/`$` match around them. */
const QUOTES_AROUND_LINE = /^(['"`])([\s\S]*)\1$/gm

/** One shape for every scanned entry, so the engine keeps a single hidden class. */
function entry(
  key: string,
  exported: boolean,
  value: string,
  quote: QuoteStyle,
  valueStart: number,
  valueEnd: number,
  end: number,
): ScannedEntry {
  return { rejected: false, key, exported, value, quote, valueStart, valueEnd, end }
}

/** Reads the value after the `=` at `afterEq - 1`, bare or quoted, on a line ending at `end`. */
export function scanValue(
  scan: Scan,
  afterEq: number,
  end: number,
  key: string,
  exported: boolean,
): ScannedEntry | RejectedEntry {
  const { text } = scan
  let vs = afterEq
  while (vs < end && isSpace(text.charCodeAt(vs))) vs++
  if (vs < end && isQuote(text.charCodeAt(vs))) return scanQuotedValue(scan, vs, end, key, exported)
  const hash = indexOfInLine(text, HASH, vs, end)
  let ve = hash === -1 ? end : hash
  while (ve > vs && isSpace(text.charCodeAt(ve - 1))) ve--
  if (hash !== -1) checkComment(scan, hash, end)
  if (vs === ve) return entry(key, exported, '', 'none', afterEq, afterEq, end)
  let value = text.slice(vs, ve)
  if (scan.hasLineSeparator && /[\u2028\u2029]/.test(value)) {
    value = value.replace(QUOTES_AROUND_LINE, '$2')
  }
  return entry(key, exported, value, 'none', vs, ve, end)
}

function scanQuotedValue(
  scan: Scan,
  open: number,
  end: number,
  key: string,
  exported: boolean,
): ScannedEntry | RejectedEntry {
  const { text } = scan
  const q = text.charCodeAt(open)
  const style = STYLE_OF_QUOTE[q] ?? 'double'
  const found = scanQuoted(text, open)
  if (!found.ok) {
    const message = found.sameLine
      ? `unexpected text after the closing quote of the ${style}-quoted value`
      : `unterminated ${style}-quoted value: no closing quote followed by the end of a line or a # comment`
    let offset = open
    if (found.sameLine) for (offset = found.close + 1; isSpace(text.charCodeAt(offset));) offset++
    scan.problems.push({ offset, message })
    return { rejected: true, end }
  }
  const close = found.close
  const last = lineEndOf(scan, close + 1)
  let t = close + 1
  while (t < last && isSpace(text.charCodeAt(t))) t++
  if (t < last && text.charCodeAt(t) !== HASH) {
    const message = `unexpected text after the closing quote of the ${style}-quoted value`
    scan.problems.push({ offset: t, message })
    return { rejected: true, end: last }
  }
  if (t < last) checkComment(scan, t, last)
  const value = decodeQuoted(text.slice(open + 1, close), q)
  return entry(key, exported, value, style, open, close + 1, last)
}
