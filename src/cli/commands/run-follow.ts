import { setTimeout as sleep } from 'node:timers/promises'
import { subscribeEvents, type EventSubscription } from '../../client/event-stream.ts'
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

/** One supervised command: the running child, restarts one at a time, and how it ends. */
class Follower {
  private child: RunningChild | undefined
  private stopping: NodeJS.Signals | undefined
  private readonly replaced = new WeakSet<RunningChild>()
  private busy = false
  private again = false
  private finish: (code: number) => void = () => undefined
  /** Settles with the exit status once the child ends by itself or on a signal. */
  readonly done = new Promise<number>((resolve) => (this.finish = resolve))

  constructor(
    private readonly ctx: VerbContext,
    private readonly t: EnvTarget,
    private readonly opts: RunOptions,
    private current: LoadedRelease,
  ) {}

  say(text: string): void {
    if (this.ctx.flags.quiet !== true) this.ctx.io.stderr(`tresor run: ${text}\n`)
  }

  async launch(loaded: LoadedRelease): Promise<void> {
    const c = startChild(await childSpec(this.ctx, this.opts, loaded))
    this.child = c
    if (this.stopping !== undefined) c.kill(this.stopping)
    void c.exited.then((exit) => {
      if (this.replaced.has(c)) return
      if (exit.spawnError !== undefined)
        reportSpawnError(this.ctx, this.opts.command, exit.spawnError)
      this.finish(exitCodeOf(exit))
    })
  }

  /** A signal for this process: passed to the child, which then ends the run. */
  signal(signal: NodeJS.Signals): void {
    this.stopping = signal
    this.child?.kill(signal)
  }

  /** Checks for a newer release; a call during a restart makes one more check at its end. */
  async restart(): Promise<void> {
    if (this.busy) {
      this.again = true
      return
    }
    this.busy = true
    try {
      do {
        this.again = false
        await this.replaceIfNewer()
      } while (this.again && this.stopping === undefined)
    } finally {
      this.busy = false
    }
  }

  private async replaceIfNewer(): Promise<void> {
    let next: LoadedRelease
    try {
      const latest = await this.ctx.client().releases.get(this.t, 'latest')
      if (latest.id === this.current.release.id) return
      next = await loadRelease(this.ctx, this.t, this.opts, latest.id)
    } catch (err) {
      this.say(
        `could not fetch the new release (${(err as Error).message}); the old one keeps running`,
      )
      return
    }
    const old = this.child
    if (old === undefined || this.stopping !== undefined) return
    this.say(
      `release ${next.release.number} of ${this.t.project}/${this.t.env}: restarting ${this.opts.command}`,
    )
    this.replaced.add(old)
    const exit = await stopChild(old, this.opts.graceMs)
    if (this.stopping !== undefined) return this.finish(exitCodeOf(exit))
    this.current = next
    await this.launch(next)
  }
}

// The event stream of this environment: each release (and each reconnection, which may have
// missed some) makes the follower check for a newer release.
function watch(ctx: VerbContext, t: EnvTarget, f: Follower): EventSubscription {
  const { url, token, renew } = ctx.server()
  let lost = false
  return subscribeEvents({
    baseUrl: url,
    token: token ?? '',
    ...(renew && { renewToken: renew }),
    query: { project: t.project, env: t.env },
    userAgent: `tresor-cli/${ctx.io.version}`,
    onEvent: (e) => {
      if (e.event === 'release.created') void f.restart()
    },
    onOpen: () => {
      if (lost) f.say('event stream reconnected')
      lost = false
      void f.restart()
    },
    onRetry: (_delayMs, reason) => {
      if (!lost) f.say(`event stream lost (${reason}); reconnecting`)
      lost = true
    },
    onFatal: (err) => f.say(`${err.code}: ${err.message}; no longer following releases`),
  })
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
  const f = new Follower(ctx, t, opts, first)
  const untrap = trapSignals((signal) => f.signal(signal))
  const events = watch(ctx, t, f)
  try {
    await f.launch(first)
    return await f.done
  } finally {
    events.close()
    untrap()
  }
}
