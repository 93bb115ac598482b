import { SCOPES, type Scope } from '../../core/actor.ts'
import { UsageError } from '../errors.ts'
import type { Verb } from '../spec.ts'

const isScope = (s: string): s is Scope => (SCOPES as readonly string[]).includes(s)

/** `tresor tokens`: id, name, kind, scopes, expiry; never a token value (only hashes exist). */
export const tokens: Verb = async (ctx) => {
  const out = await ctx.client().tokens.list()
  const now = new Date().toISOString()
  const live = (t: (typeof out.tokens)[number]) =>
    t.revokedAt === null && (t.expiresAt === null || t.expiresAt > now)
  const shown = ctx.flags.all === true ? out.tokens : out.tokens.filter(live)
  return {
    json: { tokens: shown },
    table: {
      columns: ['ID', 'NAME', 'KIND', 'SCOPES', 'EXPIRES', 'LAST USED', 'STATUS'],
      rows: shown.map((t) => [
        t.id,
        t.name,
        t.kind,
        t.scopes.join(' '),
        t.expiresAt ?? 'never',
        t.lastUsedAt ?? '-',
        t.revokedAt !== null ? 'revoked' : live(t) ? 'active' : 'expired',
      ]),
    },
  }
}

/**
 * `tresor tokens:create --name N --scope S…`: prints the new token once, on stdout. With `-p`
 * (explicitly: a linked folder does not count) it is a service token for that project.
 */
export const tokensCreate: Verb = async (ctx) => {
  const { name, ttl, project, env } = ctx.flags
  if (name === undefined) throw new UsageError('give the token a --name')
  const scopes = (ctx.flags.scope ?? []).flatMap((s) => s.split(',')).map((s) => s.trim())
  if (scopes.length === 0) throw new UsageError(`give at least one --scope (${SCOPES.join(', ')})`)
  const bad = scopes.filter((s) => !isScope(s))
  if (bad.length > 0)
    throw new UsageError(`unknown scope ${bad.join(', ')}; scopes are ${SCOPES.join(', ')}`)
  if (env !== undefined && project === undefined) throw new UsageError('-e needs -p')
  const out = await ctx.client().tokens.create({
    name,
    scopes: scopes.filter(isScope),
    ...(ttl === undefined ? {} : { ttl }),
    ...(project === undefined ? {} : { project }),
    ...(env === undefined ? {} : { environments: env.split(',').map((e) => e.trim()) }),
  })
  const expires = out.expiresAt === null ? 'never expires' : `expires ${out.expiresAt}`
  return {
    json: { ...out, name, scopes },
    text: `${out.token}\n`,
    notes: [`Created token ${name} (${out.id}), ${expires}. It is shown only this once.`],
  }
}

/** `tresor tokens:revoke ID`. */
export const tokensRevoke: Verb = async (ctx) => {
  const out = await ctx.client().tokens.revoke(ctx.args[0] ?? '')
  return { json: out, notes: [`Revoked token ${out.name} (${out.id}).`] }
}
