import { AppError, type ErrorDetail } from '../errors.ts'

/** Variables to export, in the order they are written: a Map or a list of pairs. */
export type ExportInput = ReadonlyMap<string, string> | readonly (readonly [string, string])[]

/** Why `key`/`value` cannot be carried by one target, or undefined when it can. */
export type EntryCheck = (key: string, value: string) => string | undefined

// A lone UTF-16 surrogate has no UTF-8 encoding, so no file or process environment can hold it.
const LONE_SURROGATE = /[\uD800-\uDFFF]/u

/** POSIX shell and systemd variable names; also what `env_name_is_valid` accepts in systemd 252. */
export const SHELL_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/

/**
 * The entries of `env` after checking every one against the rules all targets share and the
 * target's own `check`; throws one UNREPRESENTABLE_VALUE listing every bad key (never a value).
 * NUL is refused everywhere: every target ends as a process environment, made of C strings.
 */
export function checkedEntries(
  target: string,
  env: ExportInput,
  check: EntryCheck,
): [string, string][] {
  const entries: [string, string][] = isMap(env)
    ? [...env.entries()]
    : env.map(([key, value]) => [key, value])
  const seen = new Set<string>()
  const errors: ErrorDetail[] = []
  for (const [key, value] of entries) {
    const reason = commonProblem(key, value, seen) ?? check(key, value)
    seen.add(key)
    if (reason !== undefined)
      errors.push({ key, message: `cannot be exported as ${target}: ${reason}` })
  }
  if (errors.length > 0) {
    const n = errors.length
    const what = n === 1 ? '1 variable' : `${n} variables`
    throw new AppError('UNREPRESENTABLE_VALUE', `${what} cannot be exported as ${target}`, errors)
  }
  return entries
}

function isMap(env: ExportInput): env is ReadonlyMap<string, string> {
  return env instanceof Map
}

function commonProblem(key: string, value: string, seen: Set<string>): string | undefined {
  if (key === '') return 'the key is empty'
  if (seen.has(key)) return 'the key appears more than once'
  if (key.includes('\0')) return 'the key contains a NUL character'
  if (value.includes('\0')) return 'the value contains a NUL character'
  if (LONE_SURROGATE.test(key) || LONE_SURROGATE.test(value))
    return 'it is not well-formed Unicode (a lone surrogate)'
  return undefined
}

/** Joins lines with LF and ends a non-empty file with one. */
export function joinLines(lines: readonly string[]): string {
  return lines.length === 0 ? '' : lines.join('\n') + '\n'
}
