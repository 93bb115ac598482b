import type { Verb, VerbContext, Result } from '../spec.ts'
import { UsageError } from '../errors.ts'
import { intFlag } from './shared.ts'

async function verify(ctx: VerbContext): Promise<Result> {
  const out = await ctx.client().audit.verify()
  const text = out.ok
    ? `Audit chain intact: ${out.count} events verified.\n`
    : `Audit chain BROKEN at event ${out.brokenAt ?? '?'}: ${out.reason ?? 'hash mismatch'}. ${out.count} events before it verified.\n`
  return { json: out, text, exitCode: out.ok ? 0 : 1 }
}

/**
 * `tresor audit`: events newest first (who, what, which keys, outcome; never a value), filtered
 * by `-p`/`-e`/`--action`; `--verify` checks the hash chain and exits 1 when it is broken.
 */
export const audit: Verb = async (ctx) => {
  if (ctx.flags.verify === true) return verify(ctx)
  const limit = intFlag('limit', ctx.flags.limit, 50, [1, 1000])
  const { project, env, action } = ctx.flags
  if (env !== undefined && project === undefined) throw new UsageError('-e needs -p')
  const out = await ctx.client().audit.list({
    limit,
    ...(project === undefined ? {} : { project }),
    ...(env === undefined ? {} : { env }),
    ...(action === undefined ? {} : { action }),
  })
  return {
    json: out,
    table: {
      columns: ['SEQ', 'WHEN', 'ACTOR', 'ACTION', 'KEYS', 'OUTCOME', 'REQUEST'],
      rows: out.events.map((e) => [
        String(e.seq),
        e.at,
        e.actorId,
        e.action,
        e.keys.join(' '),
        e.outcome,
        e.requestId ?? '-',
      ]),
    },
  }
}
