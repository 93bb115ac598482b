import { readSecretValue } from '../input.ts'
import type { Verb } from '../spec.ts'
import { configUnset } from './config.ts'
import { afterWrite, checkKeys, emptyNote, narrow, varTable, where } from './shared.ts'

/** `tresor secrets`: names and masked previews, never values. */
export const secrets: Verb = async (ctx) => {
  const target = ctx.target()
  const list = narrow(await ctx.client().vars.list(target), ['secret'])
  return { json: list, table: varTable(list.vars), notes: emptyNote(list, target, 'secrets') }
}

/** `tresor vars`: everything the app gets, secrets masked, system variables marked. */
export const vars: Verb = async (ctx) => {
  const list = await ctx.client().vars.list(ctx.target())
  return {
    json: list,
    table: varTable(list.vars),
    notes: list.redeployRequired ? ['Redeploy required: the running app has older values.'] : [],
  }
}

/**
 * `tresor secrets:set KEY`: the value from `--value` only when given explicitly, else stdin or
 * a hidden prompt, so that it never lands in argv or shell history by default.
 */
export const secretsSet: Verb = async (ctx) => {
  const key = ctx.args[0] ?? ''
  checkKeys([key])
  const target = ctx.target()
  const client = ctx.client()
  const fromArgv = ctx.flags.value
  const value = fromArgv ?? (await readSecretValue(ctx.io, key))
  const out = await client.vars.set(target, { key, value, kind: 'secret' })
  return {
    json: out,
    warnings: [
      ...(fromArgv === undefined
        ? []
        : ['--value puts the secret in the process list and shell history; prefer stdin']),
      ...out.warnings,
    ],
    notes: [
      `Set secret ${key} on ${where(target)}: ${afterWrite(out.revision, out.redeployRequired)}.`,
    ],
  }
}

/** `tresor secrets:get KEY`: the one verb that prints a secret, exactly (audited reveal). */
export const secretsGet: Verb = async (ctx) => {
  const key = ctx.args[0] ?? ''
  checkKeys([key])
  const out = await ctx.client().vars.reveal(ctx.target(), key)
  return { json: out, text: ctx.io.stdoutIsTTY ? `${out.value}\n` : out.value }
}

/** `tresor secrets:unset K…`: the same delete as config:unset. */
export const secretsUnset: Verb = configUnset
