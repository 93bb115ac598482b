import { explainInvalidName, MAX_VARIABLE_NAME_LENGTH } from '../variable-name.ts'
import { EQUALS, indexOfInLine, isKeyPart, isKeyStart, isSpace } from './chars.ts'
import { scanValue, type ScannedEntry } from './entry-value.ts'
import type { RejectedEntry, Scan } from './scan.ts'

/** Start of the key: after `export` and blanks, unless `export` itself is the key (`export=1`). */
function keyStartAfterExport(text: string, i: number, end: number): number {
  if (i + 6 >= end || text.charCodeAt(i) !== 0x65 || !text.startsWith('export', i)) return i
  if (!isSpace(text.charCodeAt(i + 6))) return i
  let j = i + 7
  while (j < end && isSpace(text.charCodeAt(j))) j++
  return j < end && text.charCodeAt(j) !== EQUALS ? j : i
}

/** End of a well-formed key at `from` when `=` follows it (after blanks), else -1. */
function fastKeyEnd(text: string, from: number, end: number): number {
  let i = from
  if (i >= end || !isKeyStart(text.charCodeAt(i))) return -1
  i++
  while (i < end && isKeyPart(text.charCodeAt(i))) i++
  if (i - from > MAX_VARIABLE_NAME_LENGTH) return -1
  const keyEnd = i
  while (i < end && isSpace(text.charCodeAt(i))) i++
  return i < end && text.charCodeAt(i) === EQUALS ? keyEnd : -1
}

/** Explains why the line holding a key at `keyStart` is not a statement, for the slow path. */
function rejectLine(scan: Scan, i: number, keyStart: number, end: number): RejectedEntry {
  const { text } = scan
  const eq = indexOfInLine(text, EQUALS, keyStart, end)
  if (eq === -1) {
    const colon = indexOfInLine(text, 0x3a, keyStart, end) !== -1
    const hint = colon ? " (YAML-style 'KEY: value' is not supported)" : ''
    scan.problems.push({ offset: i, message: `expected KEY=value: the line has no '='${hint}` })
    return { rejected: true, end }
  }
  let e = eq
  while (e > keyStart && isSpace(text.charCodeAt(e - 1))) e--
  const why = explainInvalidName(text.slice(keyStart, e)) ?? 'key is not valid'
  scan.problems.push({ offset: keyStart, message: `invalid key: ${why}` })
  return { rejected: true, end }
}

/**
 * Reads one `KEY=value` statement whose first non-blank character is at `i` on a line ending at
 * `end`; a rejected line is recorded in `scan.problems` and skipped, as dotenv skips it silently.
 */
export function scanEntry(scan: Scan, i: number, end: number): ScannedEntry | RejectedEntry {
  const { text } = scan
  const keyStart = keyStartAfterExport(text, i, end)
  const keyEnd = fastKeyEnd(text, keyStart, end)
  if (keyEnd === -1) return rejectLine(scan, i, keyStart, end)
  let eq = keyEnd
  while (text.charCodeAt(eq) !== EQUALS) eq++
  return scanValue(scan, eq + 1, end, text.slice(keyStart, keyEnd), keyStart !== i)
}
