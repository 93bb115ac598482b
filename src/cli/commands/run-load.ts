import { isApiError } from '../../client/index.ts'
import { AppError, isAppError } from '../../core/errors.ts'
import type { EnvTarget, VerbContext } from '../spec.ts'
import type { ChildSpec } from './run-child.ts'
import { childEnv, fetchRelease, type LoadedRelease } from './run-env.ts'

/** `tresor run`'s settings, checked before anything is fetched. */
export interface RunOptions {
  command: string
  args: string[]
  ref: string
  inherit: boolean
  follow: boolean
  mask: boolean
  graceMs: number
  fallback: { file: string; key: Buffer } | undefined
}

/**
 * The release to run: fetched from the server (and saved to the fallback cache when asked), or,
 * when the server cannot be reached and `--fallback` is given, read from that cache.
 */
export async function loadRelease(
  ctx: VerbContext,
  t: EnvTarget,
  opts: RunOptions,
  ref = opts.ref,
): Promise<LoadedRelease> {
  const withKeys = opts.mask
  if (opts.fallback === undefined) return fetchRelease(ctx.client(), t, ref, withKeys)
  const { file, key } = opts.fallback
  const { writeFallback } = await import('./run-fallback.ts')
  try {
    const loaded = await fetchRelease(ctx.client(), t, ref, withKeys)
    const saved = {
      ...loaded,
      secretKeys: loaded.secretKeys ?? null,
      savedAt: new Date().toISOString(),
    }
    try {
      writeFallback(file, key, t, saved)
    } catch (err) {
      const why = isAppError(err) ? err.message : 'it could not be written'
      ctx.io.stderr(`warning: the fallback cache was not saved: ${why}\n`)
    }
    return loaded
  } catch (err) {
    // Only an unreachable server: a refusal (revoked token, no access) must stay a refusal.
    if (!isApiError(err, 'UNAVAILABLE')) throw err
    return fromCache(ctx, t, opts.fallback, ref, err)
  }
}

// The cached release, when it is the one asked for; else the unreachable server's error, with
// why the cache did not help.
async function fromCache(
  ctx: VerbContext,
  t: EnvTarget,
  { file, key }: { file: string; key: Buffer },
  ref: string,
  err: AppError,
): Promise<LoadedRelease> {
  const { readFallback } = await import('./run-fallback.ts')
  let cached
  try {
    cached = readFallback(file, key, t)
    if (ref !== 'latest' && ref !== String(cached.release.number) && ref !== cached.release.id)
      throw new AppError(
        'UNAVAILABLE',
        `the fallback cache ${file} holds release ${cached.release.number}, not ${ref}`,
      )
  } catch (cacheErr) {
    const why = isAppError(cacheErr) ? cacheErr.message : 'it cannot be read'
    throw new AppError('UNAVAILABLE', `${err.message}, and ${why}`)
  }
  ctx.io.stderr(
    `warning: ${err.message}; running release ${cached.release.number} of ${t.project}/${t.env} from the fallback cache ${file} (saved ${cached.savedAt})\n`,
  )
  return { ...cached, secretKeys: cached.secretKeys ?? undefined }
}

// `--resolve-local FILE`: variables of a local file resolved on this machine (loaded only when
// given: it brings the dotenv parser). A key the release has too is an error.
async function localSources(
  ctx: VerbContext,
  released: Record<string, string>,
): Promise<Record<string, string>> {
  if ((ctx.flags as { resolveLocal?: string }).resolveLocal === undefined) return {}
  const { withLocalSources } = await import('../local-sources.ts')
  const all = await withLocalSources(ctx, new Map(Object.entries(released)))
  return Object.fromEntries([...all].filter(([k]) => !Object.hasOwn(released, k)))
}

/** The child of a loaded release: its environment, and masking filters when asked. */
export async function childSpec(
  ctx: VerbContext,
  opts: RunOptions,
  loaded: LoadedRelease,
): Promise<ChildSpec> {
  const local = await localSources(ctx, loaded.env)
  const env = { ...loaded.env, ...local }
  const spec: ChildSpec = {
    command: opts.command,
    args: opts.args,
    env: childEnv(ctx.io.env, env, opts.inherit),
  }
  if (!opts.mask) return spec
  const { maskStream, MIN_MASKED_LENGTH } = await import('./run-mask.ts')
  // Values resolved from local sources (op://, $(command)) are treated as secrets too. A cache
  // written without --mask does not say which keys are secret: then every value is masked.
  const unknown = loaded.secretKeys === undefined
  const keys = [...(loaded.secretKeys ?? Object.keys(loaded.env)), ...Object.keys(local)]
  const short = keys.filter((k) => (env[k] ?? '').length < MIN_MASKED_LENGTH)
  if (unknown)
    ctx.io.stderr(
      `warning: --mask hides every value of ${MIN_MASKED_LENGTH}+ characters: the fallback cache was written without --mask, so it does not say which are secret\n`,
    )
  else if (short.length > 0)
    ctx.io.stderr(
      `warning: --mask does not hide ${short.join(', ')} (shorter than ${MIN_MASKED_LENGTH} characters)\n`,
    )
  const values = keys.map((k) => env[k]).filter((v): v is string => v !== undefined)
  return { ...spec, filters: () => ({ stdout: maskStream(values), stderr: maskStream(values) }) }
}

/** Says why a child could not start, as a shell would. */
export function reportSpawnError(ctx: VerbContext, command: string, code: string): void {
  const why = code === 'EACCES' ? 'permission denied' : 'command not found'
  ctx.io.stderr(`tresor run: ${command}: ${why}\n`)
}
