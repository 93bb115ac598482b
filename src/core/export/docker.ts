import { checkedEntries, joinLines, type ExportInput } from './common.ts'

/** docker's kvfile reads lines with bufio.Scanner: a line and its LF must fit in 64 KiB. */
export const DOCKER_MAX_LINE_BYTES = 65_535

/**
 * Raw `KEY=value` lines for `docker run --env-file` (docker/cli `pkg/kvfile`). docker applies no
 * quoting, escapes or comments after the `=`, so the value is written byte for byte, and what it
 * cannot carry is refused rather than written broken:
 * - a newline (one variable per line) or a trailing CR (bufio.Scanner drops it);
 * - a value that starts and ends with the same quote: CLI ≤ 28 keeps the quotes, newer CLIs
 *   (`trimQuotes`) strip them, so one file would mean two values. Refused, not warned: the
 *   exporter's output is a file, and a warning would not travel with it;
 * - keys with `=` or whitespace (docker errors), starting with `#` (a comment) or with control
 *   characters, and lines over 64 KiB (docker fails the whole file).
 */
export function exportDocker(env: ExportInput): string {
  const entries = checkedEntries('docker --env-file', env, dockerProblem)
  return joinLines(entries.map(([key, value]) => `${key}=${value}`))
}

function dockerProblem(key: string, value: string): string | undefined {
  if (key.includes('=')) return 'the key contains "=", which docker reads as the separator'
  // \s covers the BOM and the Unicode spaces docker trims from the start of a line.
  if (/[\s\p{Cc}]/u.test(key)) return 'the key contains whitespace or a control character'
  if (key.startsWith('#')) return 'the key starts with "#", which docker reads as a comment'
  if (value.includes('\n')) return 'the value spans several lines; docker reads one line each'
  if (value.endsWith('\r')) return 'the value ends with a carriage return, which docker drops'
  const q = value[0]
  if (value.length >= 2 && (q === '"' || q === "'") && value.endsWith(q))
    return 'the value starts and ends with the same quote, which docker ≤ 28 keeps and newer versions strip'
  const bytes = Buffer.byteLength(key) + 1 + Buffer.byteLength(value)
  if (bytes > DOCKER_MAX_LINE_BYTES)
    return `the line is ${bytes} bytes; docker reads at most ${DOCKER_MAX_LINE_BYTES} per line`
  return undefined
}
