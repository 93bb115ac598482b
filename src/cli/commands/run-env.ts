import { ApiError, isApiError, type Release, type TresorClient } from '../../client/index.ts'
import { AppError } from '../../core/errors.ts'
import type { EnvTarget } from '../spec.ts'

/** A release's resolved environment as `tresor run` uses it. */
export interface LoadedRelease {
  release: Release
  env: Record<string, string>
  /** Keys whose values are secret (for --mask); undefined when not asked for. */
  secretKeys: string[] | undefined
}

/** Never handed to the child: the CLI's own credentials are not the app's configuration. */
export const NOT_INHERITED = new Set(['TRESOR_TOKEN', 'TRESOR_FALLBACK_KEY'])

/**
 * The child's environment: the current one (minus the CLI's credentials) with the release's
 * variables over it; with `inherit` false, only PATH (so that commands are found) and them.
 */
export function childEnv(
  current: Readonly<Record<string, string | undefined>>,
  release: Readonly<Record<string, string>>,
  inherit: boolean,
): Record<string, string> {
  const out: Record<string, string> = {}
  if (inherit) {
    for (const [k, v] of Object.entries(current))
      if (v !== undefined && !NOT_INHERITED.has(k)) out[k] = v
  } else if (current.PATH !== undefined) out.PATH = current.PATH
  return Object.assign(out, release)
}

/**
 * Which keys hold secret values: secrets of the environment, and config values built from a
 * project-level secret (`${{project.KEY}}`), whose resolved value contains that secret.
 */
async function secretKeysOf(client: TresorClient, t: EnvTarget): Promise<string[]> {
  const list = await client.vars.list(t)
  const keys = list.vars.filter((v) => v.kind === 'secret').map((v) => v.key)
  const candidates = list.vars.filter(
    (v) => v.kind === 'config' && v.value?.includes('${{project.') === true,
  )
  if (candidates.length === 0) return keys
  const { findReferences } = await import('../../core/references/scan.ts')
  const fromProject = candidates.map((v) => ({ key: v.key, refs: findReferences(v.value ?? '') }))
  const shared = await client.vars.list({ project: t.project })
  const sharedSecrets = new Set(shared.vars.filter((v) => v.kind === 'secret').map((v) => v.key))
  for (const { key, refs } of fromProject)
    if (refs.some((r) => r.kind === 'project' && sharedSecrets.has(r.name))) keys.push(key)
  return keys
}

// The API's NOT_FOUND for `latest` does not say whether the environment exists; asking tells a
// missing first deploy (the usual case) from a wrong name.
async function explain(
  client: TresorClient,
  t: EnvTarget,
  ref: string,
  err: unknown,
): Promise<never> {
  if (isApiError(err, 'NOT_FOUND') && ref === 'latest') {
    const env = await client.environments.get(t.project, t.env).catch(() => undefined)
    if (env !== undefined && env.currentRelease === null)
      throw new AppError(
        'NOT_FOUND',
        `${t.project}/${t.env} has no release yet: run \`tresor deploy -p ${t.project} -e ${t.env}\` first`,
      )
  }
  if (isApiError(err, 'FORBIDDEN'))
    throw new ApiError(
      'FORBIDDEN',
      `${err.message} (tresor run reads a release's environment: the token needs the deploy scope)`,
      { httpStatus: err.httpStatus, requestId: err.requestId },
    )
  throw err
}

// Which keys are secret comes from the variable listing, which a deploy-only token may not read.
function needsRead(err: unknown): never {
  if (!isApiError(err, 'FORBIDDEN')) throw err
  throw new ApiError(
    'FORBIDDEN',
    `${err.message} (--mask and --fallback read which variables are secret: the token needs the read scope too)`,
    { httpStatus: err.httpStatus, requestId: err.requestId },
  )
}

/** Fetches release `ref` (`latest`, a number or an id) of `t`, and its secret keys if asked. */
export async function fetchRelease(
  client: TresorClient,
  t: EnvTarget,
  ref: string,
  withSecretKeys: boolean,
): Promise<LoadedRelease> {
  const [out, secretKeys] = await Promise.all([
    client.releases.env(t, ref).catch((err: unknown) => explain(client, t, ref, err)),
    withSecretKeys ? secretKeysOf(client, t).catch(needsRead) : undefined,
  ])
  return { release: out.release, env: out.env, secretKeys }
}
