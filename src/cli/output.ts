import { formatTable, printable, stylesFor } from './format.ts'
import type { CliIo, Flags, Result } from './spec.ts'

/**
 * Writes a verb's Result: data on stdout (`--json`, else exact text, else a table), notes and
 * warnings on stderr. Returns the exit code.
 */
export function render(result: Result, flags: Flags, io: CliIo): number {
  const err = stylesFor(io.stderrIsTTY, io.env)
  for (const w of result.warnings ?? []) io.stderr(`${err.yellow('warning:')} ${printable(w)}\n`)
  if (flags.json === true && result.json !== undefined) {
    io.stdout(`${JSON.stringify(result.json, null, 2)}\n`)
  } else if (result.text !== undefined) {
    io.stdout(result.text)
  } else if (result.table !== undefined) {
    io.stdout(formatTable(result.table, io.stdoutIsTTY, stylesFor(io.stdoutIsTTY, io.env)))
  }
  if (flags.quiet !== true) for (const n of result.notes ?? []) io.stderr(`${n}\n`)
  return result.exitCode ?? 0
}
