import type { Table } from './spec.ts'

/** ANSI styles, or identity functions when colour is off. */
export interface Styles {
  bold: (s: string) => string
  dim: (s: string) => string
  red: (s: string) => string
  green: (s: string) => string
  yellow: (s: string) => string
}

const sgr = (open: number, close: number) => (s: string) => `\x1b[${open}m${s}\x1b[${close}m`
const plain = (s: string) => s

/** Styles for a stream: colour only on a terminal, and never when NO_COLOR is set. */
export function stylesFor(isTTY: boolean, env: Readonly<Record<string, string | undefined>>) {
  const on = isTTY && (env.NO_COLOR === undefined || env.NO_COLOR === '') && env.TERM !== 'dumb'
  const styles: Styles = on
    ? {
        bold: sgr(1, 22),
        dim: sgr(2, 22),
        red: sgr(31, 39),
        green: sgr(32, 39),
        yellow: sgr(33, 39),
      }
    : { bold: plain, dim: plain, red: plain, green: plain, yellow: plain }
  return styles
}

const ESCAPES: Record<string, string> = { '\n': '\\n', '\r': '\\r', '\t': '\\t' }

/**
 * Text safe to put on one line of a terminal: line breaks, tabs and other control characters
 * (which could move the cursor or rewrite the screen) are shown as escapes.
 */
export function printable(text: string): string {
  // eslint-disable-next-line no-control-regex
  return text.replace(/[\u0000-\u001f\u007f-\u009f\u2028\u2029]/g, (c) => {
    return ESCAPES[c] ?? `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`
  })
}

// Display width of a cell: code points (wide CJK counts as one; good enough for padding).
const width = (s: string) => Array.from(s).length

/**
 * A table as text. On a terminal: a bold header and padded columns. Elsewhere: no header, cells
 * separated by tabs, one row per line, so that `cut -f` and `awk -F'\t'` read it.
 */
export function formatTable(table: Table, tty: boolean, styles: Styles): string {
  const rows = table.rows.map((r) => r.map(printable))
  if (!tty) return rows.map((r) => r.join('\t') + '\n').join('')
  const n = Math.max(table.columns.length, ...rows.map((r) => r.length))
  const widths = Array.from({ length: n }, (_, i) =>
    Math.max(width(table.columns[i] ?? ''), ...rows.map((r) => width(r[i] ?? ''))),
  )
  const line = (cells: string[]) =>
    cells
      .map((c, i) => (i === cells.length - 1 ? c : c + ' '.repeat((widths[i] ?? 0) - width(c))))
      .join('  ')
      .trimEnd()
  // A table without columns is a list of name/value pairs: no header.
  const header = table.columns.length === 0 ? [] : [styles.bold(line(table.columns))]
  return [...header, ...rows.map(line)].map((l) => l + '\n').join('')
}
