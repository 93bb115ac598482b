import { AppError } from '../../core/errors.ts'
import { confirm } from '../input.ts'
import { UsageError } from '../errors.ts'
import type { Verb } from '../spec.ts'
import { afterWrite, checkKeys, emptyNote, listKeys, narrow, varTable, where } from './shared.ts'

/** `tresor config`: config values and masked secrets, without system variables. */
export const config: Verb = async (ctx) => {
  const target = ctx.target()
  const list = narrow(await ctx.client().vars.list(target), ['config', 'secret'])
  return { json: list, table: varTable(list.vars), notes: emptyNote(list, target) }
}

/** Splits `KEY=VALUE` arguments; the error names the argument's position, never its text. */
export function parsePairs(args: readonly string[]): Record<string, string> {
  const env: Record<string, string> = {}
  args.forEach((arg, i) => {
    const eq = arg.indexOf('=')
    if (eq <= 0) throw new UsageError(`argument ${i + 1} is not KEY=VALUE`)
    const key = arg.slice(0, eq)
    checkKeys([key], i + 1)
    if (Object.hasOwn(env, key)) throw new UsageError(`${key} is given more than once`)
    env[key] = arg.slice(eq + 1)
  })
  return env
}

/** `tresor config:set K=V…`: one merge (or `--replace`) revision. */
export const configSet: Verb = async (ctx) => {
  const env = parsePairs(ctx.args)
  const target = ctx.target()
  const replace = ctx.flags.replace === true
  if (replace)
    await confirm(
      ctx.io,
      `Replace every variable of ${where(target)}, secrets included, with these ${ctx.args.length}?`,
      ctx.flags.yes === true,
    )
  const out = await ctx.client().vars.patch(target, { env, replace })
  const keys = Object.keys(env)
  const secretKeys = out.vars.filter((v) => v.kind === 'secret' && keys.includes(v.key))
  return {
    json: {
      set: keys,
      revision: out.revision,
      redeployRequired: out.redeployRequired,
      warnings: out.warnings ?? [],
    },
    warnings: [
      ...(out.warnings ?? []),
      ...secretKeys.map(
        (v) => `${v.key} is a secret; it keeps its kind (use secrets:set next time)`,
      ),
    ],
    notes: [
      `${replace ? 'Replaced' : 'Set'} ${listKeys(keys)} on ${where(target)}: ${afterWrite(out.revision, out.redeployRequired)}.`,
    ],
  }
}

/** `tresor config:get KEY`: the raw value (a line break added only on a terminal). */
export const configGet: Verb = async (ctx) => {
  const key = ctx.args[0] ?? ''
  checkKeys([key])
  const target = ctx.target()
  const list = await ctx.client().vars.list(target)
  const found = list.vars.find((v) => v.key === key)
  if (found === undefined)
    throw new AppError('NOT_FOUND', `${key} is not set in ${where(target)}`, [
      { key, message: 'not set in this environment' },
    ])
  if (found.kind === 'secret' || found.value === undefined)
    throw new UsageError(`${key} is a secret: use tresor secrets:get ${key} (audited)`)
  return {
    json: { key, kind: found.kind, value: found.value },
    text: ctx.io.stdoutIsTTY ? `${found.value}\n` : found.value,
  }
}

/** `tresor config:unset K…` and `secrets:unset`: removed and not-found keys. */
export const configUnset: Verb = async (ctx) => {
  checkKeys(ctx.args)
  const target = ctx.target()
  const out = await ctx.client().vars.remove(target, ctx.args)
  const notes =
    out.removed.length > 0
      ? [
          `Removed ${listKeys(out.removed)} from ${where(target)}: ${afterWrite(out.revision, out.redeployRequired)}.`,
        ]
      : [`Nothing removed from ${where(target)}.`]
  if (out.notFound.length > 0) notes.push(`Not found: ${listKeys(out.notFound)}.`)
  return { json: out, notes }
}
