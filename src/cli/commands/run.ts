import { isApiError } from '../../client/index.ts'
import { AppError, isAppError } from '../../core/errors.ts'
import { UsageError } from '../errors.ts'
import type { EnvTarget, Verb, VerbContext } from '../spec.ts'
import { exitCodeOf, startChild, trapSignals, type ChildSpec, type RunningChild } from './run-child.ts'
import { childEnv, fetchRelease, type LoadedRelease } from './run-env.ts'
import { where } from './shared.ts'

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

/** `--grace`: `10s`, `500ms`, `2m`, or bare seconds; 0 sends SIGKILL right after SIGTERM. */
export function parseGrace(text: string | undefined): number {
  if (text === undefined) return 10_000
  const m = /^(\d{1,6})(ms|s|m)?$/.exec(text)
  if (!m) throw new UsageError('--grace must be a duration such as 10s, 500ms or 2m')
  return Number(m[1]) * (m[2] === 'ms' ? 1 : m[2] === 'm' ? 60_000 : 1000)
}

async function runOptions(ctx: VerbContext): Promise<RunOptions> {
  const [command = '', ...args] = ctx.args
  const { flags } = ctx
  const ref = flags.release ?? 'latest'
  if (!/^(latest|\d{1,9}|rel_[0-9a-z]{16})$/.test(ref))
    throw new UsageError('--release must be a release number, a rel_ id or latest')
  if (flags.follow === true && flags.release !== undefined)
    throw new UsageError('--follow runs the latest release; it cannot be combined with --release')
  let fallback: RunOptions['fallback']
  if (flags.fallback !== undefined) {
    const { fallbackKey } = await import('./run-fallback.ts')
    fallback = { file: flags.fallback, key: fallbackKey(ctx.io.env.TRESOR_FALLBACK_KEY) }
  }
  return {
    command,
    args,
    ref,
    inherit: flags.noInherit !== true,
    follow: flags.follow === true,
    mask: flags.mask === true,
    graceMs: parseGrace(flags.grace),
    fallback,
  }
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
  const withKeys = opts.mask || opts.fallback !== undefined
  if (opts.fallback === undefined) return fetchRelease(ctx.client(), t, ref, withKeys)
  const { file, key } = opts.fallback
  const cache = await import('./run-fallback.ts')
  try {
    const loaded = await fetchRelease(ctx.client(), t, ref, withKeys)
    const saved = { ...loaded, secretKeys: loaded.secretKeys ?? [], savedAt: new Date().toISOString() }
    try {
      cache.writeFallback(file, key, t, saved)
    } catch (err) {
      const why = (err as NodeJS.ErrnoException).code ?? 'write failed'
      ctx.io.stderr(`warning: could not write the fallback cache ${file} (${why})\n`)
    }
    return loaded
  } catch (err) {
    // Only an unreachable server: a refusal (revoked token, no access) must stay a refusal.
    if (!isApiError(err, 'UNAVAILABLE')) throw err
    let cached
    try {
      cached = cache.readFallback(file, key, t)
      if (ref !== 'latest' && ref !== String(cached.release.number) && ref !== cached.release.id)
        throw new AppError('UNAVAILABLE', `the fallback cache ${file} holds release ${cached.release.number}, not ${ref}`)
    } catch (cacheErr) {
      const why = isAppError(cacheErr) ? cacheErr.message : 'it cannot be read'
      throw new AppError('UNAVAILABLE', `${err.message}, and ${why}`)
    }
    ctx.io.stderr(
      `warning: ${err.message}; running release ${cached.release.number} of ${where(t)} from the fallback cache ${file} (saved ${cached.savedAt})\n`,
    )
    return cached
  }
}

/** The child of a loaded release: its environment, and masking filters when asked. */
export async function childSpec(
  ctx: VerbContext,
  opts: RunOptions,
  loaded: LoadedRelease,
): Promise<ChildSpec> {
  const spec: ChildSpec = {
    command: opts.command,
    args: opts.args,
    env: childEnv(ctx.io.env, loaded.env, opts.inherit),
  }
  if (!opts.mask) return spec
  const { maskStream, MIN_MASKED_LENGTH } = await import('./run-mask.ts')
  const keys = loaded.secretKeys ?? []
  const short = keys.filter((k) => (loaded.env[k] ?? '').length < MIN_MASKED_LENGTH)
  if (short.length > 0)
    ctx.io.stderr(
      `warning: --mask does not hide ${short.join(', ')} (shorter than ${MIN_MASKED_LENGTH} characters)\n`,
    )
  const values = keys.map((k) => loaded.env[k]).filter((v): v is string => v !== undefined)
  return { ...spec, filters: () => ({ stdout: maskStream(values), stderr: maskStream(values) }) }
}

/** Says why a child could not start, as a shell would. */
export function reportSpawnError(ctx: VerbContext, command: string, code: string): void {
  const why = code === 'EACCES' ? 'permission denied' : 'command not found'
  ctx.io.stderr(`tresor run: ${command}: ${why}\n`)
}

async function runOnce(ctx: VerbContext, spec: ChildSpec): Promise<number> {
  let child: RunningChild | undefined
  let early: NodeJS.Signals | undefined
  // Trapped before the child starts, so that a signal in between is passed on, not fatal.
  const untrap = trapSignals((signal) => {
    if (child === undefined) early = signal
    else child.kill(signal)
  })
  try {
    child = startChild(spec)
    if (early !== undefined) child.kill(early)
    const exit = await child.exited
    if (exit.spawnError !== undefined) reportSpawnError(ctx, spec.command, exit.spawnError)
    return exitCodeOf(exit)
  } finally {
    untrap()
  }
}

/**
 * `tresor run [--follow] [--mask] -- cmd args…`: starts cmd with the release's resolved
 * environment merged over the current one; passes signals on; exits with cmd's status.
 */
export const run: Verb = async (ctx) => {
  const opts = await runOptions(ctx)
  const t = ctx.target()
  const loaded = await loadRelease(ctx, t, opts)
  if (opts.follow) {
    const { follow } = await import('./run-follow.ts')
    return { exitCode: await follow(ctx, t, opts, loaded) }
  }
  return { exitCode: await runOnce(ctx, await childSpec(ctx, opts, loaded)) }
}
