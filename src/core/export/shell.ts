import { checkedEntries, joinLines, SHELL_NAME, type ExportInput } from './common.ts'

/**
 * POSIX `export KEY='value'` lines for `. file` in sh, dash, bash or zsh. Single quotes are
 * fully literal in every POSIX shell, so the only escape is closing, an escaped quote and
 * reopening (`'\''`); newlines, `$`, backticks and backslashes are carried raw. Never reuse this
 * output as a dotenv file: dotenv parsers read `'\''` differently (research §5).
 */
export function exportShell(env: ExportInput): string {
  const entries = checkedEntries('shell', env, (key) =>
    SHELL_NAME.test(key)
      ? undefined
      : 'shell variable names allow only letters, digits and _, and cannot start with a digit',
  )
  return joinLines(entries.map(([key, value]) => `export ${key}=${shellQuote(value)}`))
}

/** `value` as one POSIX single-quoted shell word. */
export function shellQuote(value: string): string {
  return `'${value.replaceAll("'", `'\\''`)}'`
}
