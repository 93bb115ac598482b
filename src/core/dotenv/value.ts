import { AppError } from '../errors.ts'
import type { QuoteStyle } from './types.ts'

const QUOTE_CHAR: Record<Exclude<QuoteStyle, 'none'>, string> = {
  single: "'",
  double: '"',
  backtick: '`',
}

/** Quote styles in the order a new value tries them: single quotes are literal almost everywhere. */
const QUOTE_ORDER = ['single', 'double', 'backtick'] as const

/** JS `\s` at either end: dotenv trims exactly these from bare values. */
const EDGE_SPACE = /^\s|\s$/

/**
 * True when `value` can be written with no quotes: dotenv reads a bare value up to `#` or the
 * end of the line, trims it, and treats a leading quote character as an opening quote.
 */
export function isBareSafe(value: string): boolean {
  if (EDGE_SPACE.test(value)) return false
  for (let i = 0; i < value.length; i++) {
    const c = value.charCodeAt(i)
    // # starts a comment, CR/LF end the line, NUL is refused by the parser.
    if (c === 0x23 || c === 0x0a || c === 0x0d || c === 0) return false
    // dotenv's quote-stripping regex has the `m` flag, so it also strips a quote pair that
    // follows U+2028/U+2029 (which JS `^` treats as a line start) inside a bare value.
    if (c === 0x2028 || c === 0x2029) return false
    if (i === 0 && (c === 0x22 || c === 0x27 || c === 0x60)) return false
  }
  return true
}

/**
 * The text between the quotes that makes dotenv decode `value` in `style`, or undefined when that
 * style cannot carry it. dotenv unescapes nothing but `\n` and `\r` (double quotes only), so the
 * rules are: each quote character of the style must follow a backslash, the text must not end in
 * a backslash (it would escape the closing quote), CR survives only as `\r` in double quotes, and
 * double quotes cannot hold a literal `\n` or `\r` (they would be decoded).
 */
export function quotedContent(
  value: string,
  style: Exclude<QuoteStyle, 'none'>,
): string | undefined {
  if (value.includes('\0')) return undefined
  let body = value
  if (style === 'double') {
    if (/\\[nr]/.test(value)) return undefined
    body = value.replaceAll('\r', '\\r')
  } else if (value.includes('\r')) return undefined
  if (body.endsWith('\\')) return undefined
  const q = QUOTE_CHAR[style]
  for (let i = body.indexOf(q); i !== -1; i = body.indexOf(q, i + 1)) {
    if (i === 0 || body[i - 1] !== '\\') return undefined
  }
  return body
}

/** The written form of `value` in `style`, or undefined when that style cannot carry it. */
export function writeValueAs(value: string, style: QuoteStyle): string | undefined {
  if (style === 'none') return isBareSafe(value) ? value : undefined
  const body = quotedContent(value, style)
  return body === undefined ? undefined : QUOTE_CHAR[style] + body + QUOTE_CHAR[style]
}

/**
 * The written form of `value`: in `preferred` style when that style can carry it; a value that
 * was quoted stays quoted (another quote character) when it can; else bare when safe, else the
 * first quote style that fits. Undefined when no dotenv syntax carries it.
 */
export function writeValue(value: string, preferred: QuoteStyle = 'none'): string | undefined {
  const kept = writeValueAs(value, preferred)
  if (kept !== undefined) return kept
  if (preferred === 'none' && isBareSafe(value)) return value
  for (const style of QUOTE_ORDER) {
    const written = writeValueAs(value, style)
    if (written !== undefined) return written
  }
  return isBareSafe(value) ? value : undefined
}

/** The quote style of a written form produced by `writeValue` (bare ones never open with a quote). */
export function styleOfWritten(written: string): QuoteStyle {
  const c = written.charCodeAt(0)
  if (c === 0x27) return 'single'
  if (c === 0x22) return 'double'
  if (c === 0x60) return 'backtick'
  return 'none'
}

/** Why no dotenv quoting carries `value`; never quotes the value itself. */
export function unrepresentableReason(value: string): string {
  if (value.includes('\0')) return 'it contains a NUL character'
  if (value.endsWith('\\')) return 'it needs quotes and ends with a backslash'
  if (!value.includes('\r')) return 'it needs quotes and contains every quote character unescaped'
  if (/\\[nr]/.test(value))
    return 'it contains a carriage return and a literal backslash-n or backslash-r sequence'
  return 'it contains a carriage return (double quotes only) and an unescaped double quote'
}

/**
 * The dotenv text for one value (bare when safe, else the least surprising quote) that
 * `dotenv.parse` reads back exactly; throws UNREPRESENTABLE_VALUE naming `key` when none can.
 */
export function formatDotenvValue(value: string, key?: string): string {
  const written = writeValue(value)
  if (written !== undefined) return written
  const subject = key === undefined ? 'the value' : `the value of ${key}`
  const reason = unrepresentableReason(value)
  throw new AppError(
    'UNREPRESENTABLE_VALUE',
    `${subject} cannot be written in dotenv syntax: ${reason}`,
    [key === undefined ? { message: reason } : { key, message: reason }],
  )
}
