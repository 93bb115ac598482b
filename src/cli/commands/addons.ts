import type { Addon, AddonWriteResult } from '../../client/index.ts'
import { parseDocument } from '../../core/dotenv/parse.ts'
import { entryNodes } from '../../core/dotenv/project.ts'
import { AppError } from '../../core/errors.ts'
import { UsageError } from '../errors.ts'
import { confirm } from '../input.ts'
import type { EnvTarget, Verb, VerbContext } from '../spec.ts'
import { afterWrite, checkKeys, listKeys, readTextInput, where } from './shared.ts'

// Variables of the known add-ons that are not credentials (the server shows them in clear).
const CONFIG_BY_DEFAULT = new Set(['DATABASE_POOL_SIZE'])

/** `tresor addons`: the environment's add-ons with their mode and variable names, no value. */
export const addons: Verb = async (ctx) => {
  const target = ctx.target()
  const out = await ctx.client().addons.list(target)
  return {
    json: out,
    table: {
      columns: ['NAME', 'MODE', 'VARIABLES', 'DATABASE'],
      rows: out.addons.map((a) => [a.name, a.mode, a.keys.join(' '), a.database ?? '-']),
    },
    notes: out.addons.length === 0 ? [`No add-ons in ${where(target)}.`] : [],
  }
}

// `KEY=VALUE` arguments after the name; errors name the argument's position, never its text.
function pairsOf(pairs: readonly string[], into: Map<string, string>): void {
  pairs.forEach((pair, i) => {
    const eq = pair.indexOf('=')
    if (eq <= 0) throw new UsageError(`argument ${i + 2} is not KEY=VALUE`)
    const key = pair.slice(0, eq)
    checkKeys([key], i + 2)
    if (into.has(key)) throw new UsageError(`${key} is given more than once`)
    into.set(key, pair.slice(eq + 1))
  })
}

/**
 * The add-on's variables: `KEY=VALUE` lines from `--from-file` (or stdin when nothing else gives
 * values), then the arguments. Values on stdin or in a file never reach argv or shell history.
 */
async function varsOf(ctx: VerbContext, pairs: readonly string[]) {
  const vars = new Map<string, string>()
  const file =
    ctx.flags.fromFile ?? (pairs.length === 0 && ctx.flags.provision !== true ? '-' : undefined)
  if (file !== undefined) {
    // dotenv rules: the last duplicate wins; PARSE_ERROR names lines, never values.
    for (const node of entryNodes(parseDocument(await readTextInput(ctx, file, 'KEY=VALUE lines'))))
      vars.set(node.key, node.value)
  }
  const fromFile = new Set(vars.keys())
  const argv = new Map<string, string>()
  pairsOf(pairs, argv)
  for (const [key, value] of argv) {
    if (fromFile.has(key))
      throw new UsageError(`${key} is given both in the input and as an argument`)
    vars.set(key, value)
  }
  return { vars, argvKeys: [...argv.keys()] }
}

/**
 * `tresor addons:attach NAME [K=V…]`: attaches an add-on with its variables (secrets unless
 * named with --config), replaces them when it is attached already, or `--provision`s the
 * built-in postgres add-on's database. Values come from stdin or --from-file by default.
 */
export const addonsAttach: Verb = async (ctx) => {
  const [name = '', ...pairs] = ctx.args
  const target = ctx.target()
  const { vars, argvKeys } = await varsOf(ctx, pairs)
  const config = ctx.flags.config ?? []
  checkKeys(config)
  const provision = ctx.flags.provision === true
  if (!provision && vars.size === 0)
    throw new UsageError(
      `no variables for add-on ${name}: give KEY=VALUE lines on stdin or --from-file, or --provision`,
    )
  const secretInArgv = argvKeys.filter((k) => !config.includes(k) && !CONFIG_BY_DEFAULT.has(k))
  const out = await ctx.client().addons.attach(target, name, {
    ...(vars.size === 0 ? {} : { vars: Object.fromEntries(vars) }),
    ...(config.length === 0 ? {} : { config }),
    ...(provision ? { provision: true } : {}),
  })
  return {
    json: out,
    warnings:
      secretInArgv.length === 0
        ? []
        : [
            `${listKeys(secretInArgv)} given as argument${secretInArgv.length === 1 ? '' : 's'}: visible to ps and shell history; prefer stdin or --from-file`,
          ],
    notes: [written(out, `Attached add-on ${name} to ${where(target)}`)],
  }
}

/** `tresor addons:rotate NAME`: new credentials for a provisioned add-on, in one call. */
export const addonsRotate: Verb = async (ctx) => {
  const name = ctx.args[0] ?? ''
  const target = ctx.target()
  const out = await ctx.client().addons.rotate(target, name)
  return { json: out, notes: [written(out, `Rotated add-on ${name} on ${where(target)}`)] }
}

/**
 * `tresor addons:detach NAME [--drop-database]`: asks first on a terminal (`--yes` for scripts);
 * a database Tresor provisioned is dropped only with --drop-database, named in the question.
 */
export const addonsDetach: Verb = async (ctx) => {
  const name = ctx.args[0] ?? ''
  const target = ctx.target()
  const client = ctx.client()
  const addon = (await client.addons.list(target)).addons.find((a) => a.name === name)
  if (addon === undefined)
    throw new AppError('NOT_FOUND', `add-on ${name} is not attached to ${where(target)}`)
  const drop = ctx.flags.dropDatabase === true
  if (addon.database !== undefined && addon.mode !== 'shared' && !drop)
    throw new UsageError(
      `add-on ${name} has database ${addon.database}: detaching drops it with all its data; pass --drop-database to confirm`,
    )
  await confirm(ctx.io, question(addon, target, drop), ctx.flags.yes === true)
  const out = await client.addons.detach(target, name, drop ? { dropDatabase: true } : {})
  const dropped =
    out.droppedDatabase === true ? ` and dropped database ${addon.database ?? ''}` : ''
  return {
    json: out,
    notes: [written(out, `Detached add-on ${name} from ${where(target)}${dropped}`)],
  }
}

function question(addon: Addon, target: EnvTarget, drop: boolean): string {
  const vars = `its variables (${listKeys(addon.keys)}) leave the next release`
  const db =
    drop && addon.database !== undefined
      ? ` and database ${addon.database} is dropped with all its data`
      : ''
  return `Detach add-on ${addon.name} from ${where(target)}? ${vars}${db}.`
}

function written(out: AddonWriteResult, what: string): string {
  const changed =
    out.changedKeys.length === 0 ? 'nothing changed' : `${listKeys(out.changedKeys)} changed`
  return `${what}: ${changed}; ${afterWrite(out.revision, out.redeployRequired)}.`
}
