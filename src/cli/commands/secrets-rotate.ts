import { randomInt } from 'node:crypto'
import { AppError } from '../../core/errors.ts'
import { UsageError } from '../errors.ts'
import { readSecretValue } from '../input.ts'
import type { Verb } from '../spec.ts'
import { afterWrite, checkKeys, intFlag, where } from './shared.ts'

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789'

/**
 * A random value of letters and digits (about 5.95 bits each; 32 characters ≈ 190 bits): no
 * character any export format would need to quote.
 */
export function generateSecret(length: number): string {
  let out = ''
  for (let i = 0; i < length; i++) out += ALPHABET[randomInt(ALPHABET.length)]
  return out
}

/**
 * `tresor secrets:rotate KEY`: a new value for an existing secret, based on the revision just
 * read (a concurrent change makes it fail rather than be overwritten). The old value stays in
 * that revision; a generated value is never printed.
 */
export const secretsRotate: Verb = async (ctx) => {
  const key = ctx.args[0] ?? ''
  checkKeys([key])
  const length = intFlag('length', ctx.flags.length, 32, [16, 4096])
  if (ctx.flags.length !== undefined && ctx.flags.generate !== true)
    throw new UsageError('--length goes with --generate')
  const target = ctx.target()
  const client = ctx.client()
  const list = await client.vars.list(target)
  const current = list.vars.find((v) => v.key === key)
  if (current === undefined)
    throw new AppError('NOT_FOUND', `${key} is not set in ${where(target)}; use secrets:set`, [
      { key, message: 'not set in this environment' },
    ])
  if (current.kind !== 'secret')
    throw new UsageError(`${key} is ${current.kind}, not a secret; use secrets:set to make it one`)
  const value =
    ctx.flags.generate === true ? generateSecret(length) : await readSecretValue(ctx.io, key)
  const out = await client.vars.set(
    target,
    { key, value, kind: 'secret' },
    { baseRevision: list.revision },
  )
  return {
    json: {
      key,
      revision: out.revision,
      previousRevision: list.revision,
      redeployRequired: out.redeployRequired,
    },
    warnings: out.warnings,
    notes: [
      `Rotated ${key} on ${where(target)}: ${afterWrite(out.revision, out.redeployRequired)}.`,
      `The previous value stays in revision ${list.revision}.`,
    ],
  }
}
