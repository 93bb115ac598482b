import { setTimeout as sleep } from 'node:timers/promises'
import { subscribeEvents } from '../../client/event-stream.ts'
import type { EnvTarget, VerbContext } from '../spec.ts'
import {
  exitCodeOf,
  startChild,
  trapSignals,
  type ChildExit,
  type RunningChild,
} from './run-child.ts'
import type { LoadedRelease } from './run-env.ts'
import { childSpec, loadRelease, reportSpawnError, type RunOptions } from './run-load.ts'
import { where } from './shared.ts'

/** SIGTERM, then SIGKILL if the child is still there after `graceMs`. */
async function stopChild(child: RunningChild, graceMs: number): Promise<ChildExit> {
  child.kill('SIGTERM')
  const ac = new AbortController()
  const late = await Promise.race([
    child.exited.then(() => false),
    sleep(graceMs, true, { signal: ac.signal }).catch(() => false),
  ])
  ac.abort()
  if (late) child.kill('SIGKILL')
  return child.exited
}

/**
 * `tresor run --follow`: runs the latest release and, on each new one (announced on the event
 * stream, or found on reconnecting), stops the child (SIGTERM, grace, SIGKILL) and starts it
 * again with the new environment. Ends when the child ends by itself or on a signal.
 */
export async function follow(
  ctx: VerbContext,
  t: EnvTarget,
  opts: RunOptions,
  first: LoadedRelease,
): Promise<number> {
  const say = (text: string) => {
    if (ctx.flags.quiet !== true) ctx.io.stderr(`tresor run: ${text}\n`)
  }
  let current = first
  let child: RunningChild | undefined
  let stopping: NodeJS.Signals | undefined
  const replaced = new WeakSet<RunningChild>()
  let finish: (code: number) => void = () => undefined
  const done = new Promise<number>((resolve) => (finish = resolve))

  const launch = async (loaded: LoadedRelease) => {
    const c = startChild(await childSpec(ctx, opts, loaded))
    child = c
    if (stopping !== undefined) c.kill(stopping)
    void c.exited.then((exit) => {
      if (replaced.has(c)) return
      if (exit.spawnError !== undefined) reportSpawnError(ctx, opts.command, exit.spawnError)
      finish(exitCodeOf(exit))
    })
  }

  // One restart at a time; a release announced meanwhile triggers one more check at the end.
  let busy = false
  let again = false
  const restart = async (): Promise<void> => {
    if (busy) {
      again = true
      return
    }
    busy = true
    try {
      do {
        again = false
        await replaceIfNewer()
      } while (again && stopping === undefined)
    } finally {
      busy = false
    }
  }

  const replaceIfNewer = async () => {
    let next: LoadedRelease
    try {
      const latest = await ctx.client().releases.get(t, 'latest')
      if (latest.id === current.release.id) return
      next = await loadRelease(ctx, t, opts, latest.id)
    } catch (err) {
      say(`could not fetch the new release (${(err as Error).message}); the old one keeps running`)
      return
    }
    const old = child
    if (old === undefined || stopping !== undefined) return
    say(`release ${next.release.number} of ${where(t)}: restarting ${opts.command}`)
    replaced.add(old)
    const exit = await stopChild(old, opts.graceMs)
    if (stopping !== undefined) return finish(exitCodeOf(exit))
    current = next
    await launch(next)
  }

  const untrap = trapSignals((signal) => {
    stopping = signal
    child?.kill(signal)
  })
  const { url, token } = ctx.server()
  let lost = false
  const events = subscribeEvents({
    baseUrl: url,
    token: token ?? '',
    query: { project: t.project, env: t.env },
    userAgent: `tresor-cli/${ctx.io.version}`,
    onEvent: (e) => {
      if (e.event === 'release.created') void restart()
    },
    // Releases made while the stream was down (or before it first opened) are caught up here.
    onOpen: () => {
      if (lost) say('event stream reconnected')
      lost = false
      void restart()
    },
    onRetry: (_delayMs, reason) => {
      if (!lost) say(`event stream lost (${reason}); reconnecting`)
      lost = true
    },
    onFatal: (err) => say(`${err.code}: ${err.message}; no longer following releases`),
  })
  try {
    await launch(current)
    return await done
  } finally {
    events.close()
    untrap()
  }
}
