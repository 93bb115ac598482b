import { UsageError } from '../errors.ts'
import type { Verb, VerbContext } from '../spec.ts'
import {
  exitCodeOf,
  startChild,
  trapSignals,
  type ChildSpec,
  type RunningChild,
} from './run-child.ts'
import { childSpec, loadRelease, reportSpawnError, type RunOptions } from './run-load.ts'

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
