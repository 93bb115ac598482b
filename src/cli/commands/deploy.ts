import type { Release } from '../../client/index.ts'
import { UsageError } from '../errors.ts'
import type { Table, Verb } from '../spec.ts'
import { where } from './shared.ts'

/**
 * `tresor deploy`: makes a release of the environment as it is now. Its number goes to stdout
 * (`N=$(tresor deploy)`); a release that cannot be made names every missing reference, cycle
 * and required key, and records nothing.
 */
export const deploy: Verb = async (ctx) => {
  const t = ctx.target()
  const message = ctx.flags.message
  const rel = await ctx.client().releases.create(t, message === undefined ? {} : { message })
  return {
    json: rel,
    text: `${rel.number}\n`,
    notes: [`Released ${where(t)}: release ${rel.number} (revision ${rel.revision}).`],
  }
}

/** Release rows, newest first; never a value. */
export function releaseTable(releases: readonly Release[]): Table {
  return {
    columns: ['RELEASE', 'STATUS', 'REVISION', 'PROJECT REV', 'AUTHOR', 'CREATED', 'DEPLOY ID'],
    rows: releases.map((r) => [
      String(r.number),
      r.status,
      String(r.revision),
      String(r.projectRevision),
      r.author,
      r.createdAt,
      r.deployId,
    ]),
  }
}

/** `tresor releases`: the releases of an environment, newest first. */
export const releases: Verb = async (ctx) => {
  const t = ctx.target()
  const out = await ctx.client().releases.list(t)
  return {
    json: out,
    table: releaseTable(out.releases),
    notes:
      out.releases.length === 0 ? [`No releases of ${where(t)} yet: tresor deploy makes one.`] : [],
  }
}

/**
 * `tresor rollback [N]`: a new revision equal to release N's document (default: the release
 * before the current one), released at once. The shared project variables are not rolled back.
 */
export const rollback: Verb = async (ctx) => {
  const [ref] = ctx.args
  if (ref !== undefined && !/^\d{1,9}$/.test(ref))
    throw new UsageError('the release to roll back to must be a number, such as 3')
  const t = ctx.target()
  const rel = await ctx.client().releases.rollback(t, ref === undefined ? undefined : Number(ref))
  return {
    json: rel,
    text: `${rel.number}\n`,
    notes: [
      `Rolled back ${where(t)}${ref === undefined ? ' to the previous release' : ` to release ${ref}`}: release ${rel.number} (revision ${rel.revision}).`,
    ],
  }
}
