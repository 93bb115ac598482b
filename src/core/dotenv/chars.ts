/** Character classes of the dotenv grammar, as UTF-16 code units for a fast scanner. */

export const HASH = 0x23
export const EQUALS = 0x3d
export const BACKSLASH = 0x5c
export const LF = 0x0a
export const CR = 0x0d

/**
 * JS `\s` minus LF and CR (which end lines here): dotenv's regex trims and skips exactly this
 * set, so BOM, NBSP and U+2028 count as blanks around keys and values.
 */
export function isSpace(c: number): boolean {
  if (c <= 0x20) return c === 0x20 || c === 0x09 || c === 0x0b || c === 0x0c
  if (c < 0xa0) return false
  return (
    c === 0xa0 ||
    c === 0x1680 ||
    (c >= 0x2000 && c <= 0x200a) ||
    c === 0x2028 ||
    c === 0x2029 ||
    c === 0x202f ||
    c === 0x205f ||
    c === 0x3000 ||
    c === 0xfeff
  )
}

/** U+2028 and U+2029 end a line for dotenv's `^`/`$`, so text after one in a comment is re-read. */
export function isLineSeparator(c: number): boolean {
  return c === 0x2028 || c === 0x2029
}

/** `'`, `"` or a backtick: the three characters that open a quoted value. */
export function isQuote(c: number): boolean {
  return c === 0x27 || c === 0x22 || c === 0x60
}

/** True for `[A-Za-z_]`, the first character of a valid key. */
export function isKeyStart(c: number): boolean {
  return (c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a) || c === 0x5f
}

/** True for `[A-Za-z0-9_.-]`, any later character of a valid key. */
export function isKeyPart(c: number): boolean {
  return isKeyStart(c) || (c >= 0x30 && c <= 0x39) || c === 0x2e || c === 0x2d
}

/** Index of the first `code` in `text[from, end)`, or -1; bounded, unlike `indexOf`. */
export function indexOfInLine(text: string, code: number, from: number, end: number): number {
  for (let i = from; i < end; i++) if (text.charCodeAt(i) === code) return i
  return -1
}
