import { checkedEntries, joinLines, type ExportInput } from './common.ts'

const KEY = /^[A-Za-z_][A-Za-z0-9_.-]*$/
const DELIMITER = 'TRESOR_EOF'

/**
 * The text a step appends to `$GITHUB_ENV`: every variable in the runner's heredoc form
 * (`KEY<<DELIM`, the value, `DELIM`), which carries any value, multi-line ones included, byte
 * for byte: the runner (actions/runner SetEnvFileCommand) takes the exact text between the
 * first line and the last LF before the delimiter line. Each delimiter is checked against the
 * value's lines, so no value can end its own entry early and inject another variable.
 */
export function exportGithubEnv(env: ExportInput): string {
  const entries = checkedEntries('GitHub Actions $GITHUB_ENV', env, githubProblem)
  return joinLines(
    entries.map(([key, value]) => {
      const delimiter = delimiterFor(value)
      return `${key}<<${delimiter}\n${value}\n${delimiter}`
    }),
  )
}

/**
 * `::add-mask::` workflow commands for every non-blank line of every value, to print on a
 * step's stdout before the values can reach a log. The runner masks log lines one at a time, so
 * a multi-line value is registered line by line (CR, LF and CRLF all end a line); `%`, CR and LF are escaped as the runner's
 * command parser expects (`%25`, `%0D`, `%0A`).
 */
export function githubMaskCommands(env: ExportInput): string {
  const entries = checkedEntries('GitHub Actions masks', env, githubProblem)
  const masks = new Set<string>()
  for (const [, value] of entries)
    for (const line of value.split(/\r\n|[\r\n]/)) if (line.trim() !== '') masks.add(line)
  return joinLines([...masks].map((m) => `::add-mask::${escapeCommandData(m)}`))
}

/** A workflow command's data with the runner's three escapes applied. */
export function escapeCommandData(data: string): string {
  return data.replaceAll('%', '%25').replaceAll('\r', '%0D').replaceAll('\n', '%0A')
}

/** `TRESOR_EOF`, or `TRESOR_EOF_n` for the first n that is not one of the value's lines. */
function delimiterFor(value: string): string {
  const lines = new Set(value.split('\n'))
  let delimiter = DELIMITER
  for (let n = 1; lines.has(delimiter); n++) delimiter = `${DELIMITER}_${n}`
  return delimiter
}

function githubProblem(key: string): string | undefined {
  if (!KEY.test(key)) return 'GitHub Actions names allow letters, digits, _, . and -'
  // The runner refuses NODE_OPTIONS from $GITHUB_ENV, and re-applies its own GITHUB_*/RUNNER_*.
  if (key === 'NODE_OPTIONS') return 'the runner refuses NODE_OPTIONS from $GITHUB_ENV'
  if (/^(GITHUB|RUNNER)_/i.test(key))
    return 'GitHub Actions does not let a step set GITHUB_* or RUNNER_* variables'
  return undefined
}
