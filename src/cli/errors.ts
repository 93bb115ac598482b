import { isApiError } from '../client/errors.ts'
import { isAppError } from '../core/errors.ts'
import { printable } from './format.ts'

/** Bad usage (a missing argument, a malformed flag): exit 2 with a pointer to `--help`. */
export class UsageError extends Error {
  /** A second line such as `(Did you mean config?)`. */
  readonly hint: string | undefined

  constructor(message: string, hint?: string) {
    super(message)
    this.name = 'UsageError'
    this.hint = hint
  }
}

/** The user declined a confirmation (exit 1) or pressed Ctrl-C at a prompt (exit 130). */
export class CancelledError extends Error {
  readonly exitCode: number

  constructor(message: string, exitCode: number) {
    super(message)
    this.name = 'CancelledError'
    this.exitCode = exitCode
  }
}

/**
 * The stderr text and exit code of an error that reached the top of a verb. AppErrors (local or
 * from the API) print `CODE: message (request req_…)` and their details; messages of Tresor's
 * errors never carry a value, so they are safe to show. Anything else is a bug: one line.
 */
export function describeError(err: unknown, verb: string): { text: string; exitCode: number } {
  if (err instanceof UsageError) {
    const help = verb === '' ? 'tresor --help' : `tresor ${verb} --help`
    const hint = err.hint === undefined ? '' : `${printable(err.hint)}\n`
    return { text: `error: ${printable(err.message)}\n${hint}(see ${help})\n`, exitCode: 2 }
  }
  if (err instanceof CancelledError) return { text: `${err.message}\n`, exitCode: err.exitCode }
  if (isAppError(err)) {
    const request = isApiError(err) && err.requestId ? ` (request ${err.requestId})` : ''
    let text = `${err.code}: ${printable(err.message)}${request}\n`
    for (const d of err.errors) {
      const where = [
        d.key,
        d.line === undefined ? undefined : `line ${d.line}`,
        d.field === undefined || d.key !== undefined ? undefined : d.field,
      ].filter((w) => w !== undefined)
      text += `  ${where.length > 0 ? `${where.join(', ')}: ` : ''}${printable(d.message)}\n`
    }
    return { text, exitCode: 1 }
  }
  // Not a Tresor error: its message could come from anywhere, so only its kind is shown.
  const kind = err instanceof Error ? err.name : typeof err
  return { text: `INTERNAL: unexpected ${kind} in tresor ${verb}\n`, exitCode: 1 }
}
