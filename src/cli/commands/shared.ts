import { readFileSync } from 'node:fs'
import type { Var, VarList } from '../../client/index.ts'
import { AppError } from '../../core/errors.ts'
import { explainInvalidName } from '../../core/variable-name.ts'
import { UsageError } from '../errors.ts'
import { readStdin } from '../input.ts'
import type { EnvTarget, Table, VerbContext } from '../spec.ts'

/** `myapp/staging`: how messages name an environment. */
export function where(t: EnvTarget): string {
  return `${t.project}/${t.env}`
}

/**
 * The text of `file`, or of stdin for `-` (saying on a terminal how to end it). `what` names the
 * lines expected, e.g. `dotenv lines`. NOT_FOUND names the file, never its content.
 */
export async function readTextInput(ctx: VerbContext, file: string, what: string): Promise<string> {
  if (file === '-') {
    if (ctx.io.stdin.isTTY === true)
      ctx.io.stderr(`Reading ${what} from the terminal; end with Ctrl-D.\n`)
    return readStdin(ctx.io)
  }
  try {
    return readFileSync(file, 'utf8')
  } catch (err) {
    const code = (err as { code?: unknown }).code
    throw new AppError(
      'NOT_FOUND',
      `cannot read ${file}${code === 'ENOENT' ? ': no such file' : ''}`,
    )
  }
}

/**
 * Checks that each argument is a variable name. The error names the argument's position, not
 * its text: a value typed where a key belongs must not be echoed back.
 */
export function checkKeys(keys: readonly string[], offset = 1): void {
  keys.forEach((key, i) => {
    const why = explainInvalidName(key)
    if (why !== undefined) throw new UsageError(`argument ${i + offset} is not a valid key: ${why}`)
  })
}

/** A whole number flag within bounds, or its default when absent. */
export function intFlag(
  name: string,
  text: string | undefined,
  fallback: number,
  [min, max]: [number, number],
): number {
  if (text === undefined) return fallback
  const n = /^\d{1,9}$/.test(text) ? Number(text) : NaN
  if (!(n >= min && n <= max))
    throw new UsageError(`--${name} must be a whole number from ${min} to ${max}`)
  return n
}

/** A listing narrowed to some kinds, with `count` matching what it holds. */
export function narrow(list: VarList, kinds: readonly Var['kind'][]): VarList {
  const vars = list.vars.filter((v) => kinds.includes(v.kind))
  return { ...list, vars, count: vars.length }
}

/** KEY / KIND / VALUE rows: config and system values, secret previews (never values). */
export function varTable(vars: readonly Var[]): Table {
  return {
    columns: ['KEY', 'KIND', 'VALUE'],
    // An add-on's credential is a system variable with a preview (masked), never a value.
    rows: vars.map((v) => [
      v.key,
      v.kind,
      (v.kind === 'secret' ? v.preview : (v.value ?? v.preview)) ?? '',
    ]),
  }
}

/** The sentence after a write: the new revision and whether a release is needed. */
export function afterWrite(revision: number, redeployRequired: boolean): string {
  return `revision ${revision}${redeployRequired ? '; redeploy required to take effect' : ''}`
}

/** `A, B and C`, or `none`. */
export function listKeys(keys: readonly string[]): string {
  if (keys.length === 0) return 'none'
  if (keys.length === 1) return keys[0] ?? ''
  return `${keys.slice(0, -1).join(', ')} and ${keys[keys.length - 1] ?? ''}`
}

/** `No variables in myapp/staging.` when a listing is empty (on stderr: stdout stays empty). */
export function emptyNote(list: VarList, t: EnvTarget, noun = 'variables'): string[] {
  return list.count === 0 ? [`No ${noun} in ${where(t)}.`] : []
}
