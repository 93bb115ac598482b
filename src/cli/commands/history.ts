import type { Verb } from '../spec.ts'
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
