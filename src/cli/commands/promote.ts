import type { VarList } from '../../client/index.ts'
import { AppError } from '../../core/errors.ts'
import { UsageError } from '../errors.ts'
import type { Verb } from '../spec.ts'
import { afterWrite, checkKeys, listKeys } from './shared.ts'

// What each key can be copied as: every problem named at once, before anything is revealed.
function checkSources(
  keys: readonly string[],
  source: VarList,
  from: string,
  withSecrets: boolean,
) {
  const byKey = new Map(source.vars.map((v) => [v.key, v]))
  const problems = keys.flatMap((key) => {
    const v = byKey.get(key)
    if (v === undefined) return [{ key, message: `not set in ${from}` }]
    if (v.kind === 'system')
      return [{ key, message: 'a system variable: each environment has its own' }]
    return []
  })
  if (problems.length > 0)
    throw new AppError(
      'NOT_FOUND',
      `nothing was promoted: ${problems.length} key(s) cannot be copied`,
      problems,
    )
  const secrets = keys.filter((k) => byKey.get(k)?.kind === 'secret')
  const one = secrets.length === 1
  if (secrets.length > 0 && !withSecrets)
    throw new UsageError(
      `${listKeys(secrets)} ${one ? 'is a secret' : 'are secrets'}: pass --include-secrets to copy ${one ? 'it' : 'them'} (needs secrets:reveal; audited)`,
    )
  return { byKey, secrets }
}

/**
 * `tresor promote KEY… --from staging --to production`: copies the named variables' values in
 * one merge revision. Secrets are copied only with --include-secrets: each is revealed (needs
 * secrets:reveal, audited on the source) and set as a secret (audited on the target).
 */
export const promote: Verb = async (ctx) => {
  const keys = [...new Set(ctx.args)]
  checkKeys(keys)
  const { from, to } = ctx.flags
  if (from === undefined || to === undefined)
    throw new UsageError('promote needs --from ENV and --to ENV')
  if (from === to) throw new UsageError('--from and --to name the same environment')
  const project = ctx.project()
  const client = ctx.client()
  const source = await client.vars.list({ project, env: from })
  const { byKey, secrets } = checkSources(keys, source, from, ctx.flags.includeSecrets === true)
  const env: Record<string, string> = {}
  for (const key of keys) {
    const v = byKey.get(key)
    env[key] =
      v?.kind === 'secret'
        ? (await client.vars.reveal({ project, env: from }, key)).value
        : (v?.value ?? '')
  }
  const out = await client.vars.patch({ project, env: to }, { env, secrets })
  const warnings = out.warnings ?? []
  const { revision, redeployRequired } = out
  return {
    json: { from, to, keys, secrets, revision, redeployRequired, warnings },
    warnings,
    notes: [
      `Promoted ${listKeys(keys)} from ${project}/${from} to ${project}/${to}: ${afterWrite(revision, redeployRequired)}.`,
    ],
  }
}
