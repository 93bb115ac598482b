import { isLineSeparator } from './chars.ts'

/** A problem at an absolute offset of the text; turned into line and column at the end. */
export interface RawProblem {
  readonly offset: number
  readonly message: string
}

/** A statement the scanner rejected; parsing resumes after the line ending at `end`. */
export interface RejectedEntry {
  readonly rejected: true
  readonly end: number
}

/** What every scanning step shares: the text, the problems found so far, and cheap facts. */
export interface Scan {
  readonly text: string
  readonly problems: RawProblem[]
  /** False when the text holds no U+2028/U+2029, so the checks for them are skipped. */
  readonly hasLineSeparator: boolean
  /** Cached next LF and CR at or after the last lookup (`text.length` when none), for `lineEndOf`. */
  nextLf: number
  nextCr: number
  /** End of the first line of the statement being read, so one-line statements skip counting. */
  firstLineEnd: number
}

/** A new scan over `text`. */
export function startScan(text: string): Scan {
  const hasLineSeparator = /[\u2028\u2029]/.test(text)
  return { text, problems: [], hasLineSeparator, nextLf: -1, nextCr: -1, firstLineEnd: -1 }
}

/**
 * Index of the first LF or CR at or after `from`, or `text.length`; each break is searched once
 * with the native `indexOf`, so a whole document costs one pass.
 */
export function lineEndOf(scan: Scan, from: number): number {
  const { text } = scan
  if (scan.nextLf < from) scan.nextLf = indexOrLength(text, '\n', from)
  if (scan.nextCr < from) scan.nextCr = indexOrLength(text, '\r', from)
  return scan.nextLf < scan.nextCr ? scan.nextLf : scan.nextCr
}

function indexOrLength(text: string, needle: string, from: number): number {
  const i = text.indexOf(needle, from)
  return i === -1 ? text.length : i
}

/** Reports a `#` comment holding U+2028/U+2029, after which dotenv would read a new statement. */
export function checkComment(scan: Scan, from: number, end: number): void {
  if (!scan.hasLineSeparator) return
  const { text } = scan
  for (let i = from; i < end; i++) {
    const c = text.charCodeAt(i)
    if (isLineSeparator(c)) {
      const name = c === 0x2028 ? 'U+2028' : 'U+2029'
      scan.problems.push({ offset: i, message: `comment contains the line separator ${name}` })
      return
    }
  }
}
