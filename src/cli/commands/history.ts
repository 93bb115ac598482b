import type { VarList } from '../../client/index.ts'
import { stylesFor } from '../format.ts'
import { UsageError } from '../errors.ts'
import type { Verb } from '../spec.ts'
import { diffLines, isEmpty, type MaskedChanges } from './diff-view.ts'
import { intFlag } from './shared.ts'

/** `tresor history`: revisions newest first: number, time, author, changed keys (no values). */
export const history: Verb = async (ctx) => {
  const limit = intFlag('limit', ctx.flags.limit, 20, [1, 1000])
  const out = await ctx.client().documents.revisions(ctx.target(), { limit })
  return {
    json: out,
    table: {
      columns: ['REV', 'WHEN', 'AUTHOR', 'KEYS'],
      rows: out.revisions.map((r) => [
        String(r.number),
        r.createdAt,
        r.author,
        r.changedKeys.join(' '),
      ]),
    },
  }
}

/**
 * The masked difference between two listings of the same project (user variables only: system
 * ones differ by design). Config values are compared; secrets only by their previews, so equal
 * previews leave a secret "unverified" rather than claimed equal.
 */
export function diffListings(from: VarList, to: VarList): MaskedChanges {
  const user = (l: VarList) =>
    new Map(l.vars.filter((v) => v.kind !== 'system').map((v) => [v.key, v]))
  const a = user(from)
  const b = user(to)
  const d: Required<MaskedChanges> = { added: [], removed: [], changed: [], unverified: [] }
  for (const [key, v] of b) {
    const old = a.get(key)
    if (old === undefined)
      d.added.push(
        v.kind === 'config' ? { key, kind: v.kind, value: v.value } : { key, kind: v.kind },
      )
    else if (old.kind !== v.kind) d.changed.push({ key, kind: v.kind, kindChanged: true })
    else if (v.kind === 'config') {
      if (old.value !== v.value)
        d.changed.push({ key, kind: v.kind, before: old.value, after: v.value })
    } else if (old.preview !== v.preview) d.changed.push({ key, kind: v.kind })
    else d.unverified.push(key)
  }
  for (const [key, v] of a) if (!b.has(key)) d.removed.push({ key, kind: v.kind })
  return d
}

const REVISION = /^\d{1,9}$/

/** `tresor diff A B`: two environments of a project, or two revisions of one environment. */
export const diff: Verb = async (ctx) => {
  const [a = '', b = ''] = ctx.args
  const client = ctx.client()
  let json: MaskedChanges & { from: string | number; to: string | number }
  if (REVISION.test(a) && REVISION.test(b)) {
    json = await client.documents.diff(ctx.target(), Number(a), Number(b))
  } else if (!REVISION.test(a) && !REVISION.test(b)) {
    const project = ctx.project()
    const [from, to] = await Promise.all([
      client.vars.list({ project, env: a }),
      client.vars.list({ project, env: b }),
    ])
    json = { from: a, to: b, ...diffListings(from, to) }
  } else {
    throw new UsageError('compare two environments (staging production) or two revisions (3 5)')
  }
  const lines = diffLines(json, stylesFor(ctx.io.stdoutIsTTY, ctx.io.env))
  return {
    json,
    text: lines.map((l) => `${l}\n`).join(''),
    notes: !isEmpty(json)
      ? []
      : (json.unverified ?? []).length > 0
        ? [`No differences found between ${a} and ${b} (secrets on both sides not compared).`]
        : [`No differences between ${a} and ${b}.`],
  }
}
