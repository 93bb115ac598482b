import { styleOfWritten } from './value.ts'
import type { EntryNode, LineEnding } from './types.ts'

/** Written forms use LF for a line break inside quotes; a CRLF or CR document gets its own. */
function withLineBreaks(written: string, nl: LineEnding): string {
  return nl === '\n' || nl === '' || !written.includes('\n')
    ? written
    : written.replaceAll('\n', nl)
}

/**
 * The entry with its written value replaced and everything around it (indent, `export`, key,
 * spacing, trailing comment) kept byte for byte.
 */
export function rewriteEntry(
  node: EntryNode,
  value: string,
  written: string,
  nl: LineEnding,
): EntryNode {
  const text = withLineBreaks(written, nl)
  const raw = node.raw.slice(0, node.valueStart) + text + node.raw.slice(node.valueEnd)
  // An empty value sits right after the `=` (keys hold no `=`), as the parser places it.
  const valueStart = text === '' ? raw.indexOf('=') + 1 : node.valueStart
  return {
    ...node,
    value,
    quote: styleOfWritten(written),
    raw,
    valueStart,
    valueEnd: valueStart + text.length,
  }
}

/** A new `KEY=value` line (with `export ` when asked); its line number is set by the caller. */
export function newEntry(
  key: string,
  value: string,
  written: string,
  exported: boolean,
  nl: LineEnding,
): EntryNode {
  const head = (exported ? 'export ' : '') + key + '='
  const text = withLineBreaks(written, nl)
  return {
    kind: 'entry',
    key,
    value,
    exported,
    quote: styleOfWritten(written),
    line: 0,
    raw: head + text,
    valueStart: head.length,
    valueEnd: head.length + text.length,
    eol: nl,
  }
}
