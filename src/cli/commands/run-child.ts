// The child process of `tresor run`. This is the one verb that works on the process itself
// (its signals and output streams): it stands in for the app it starts.
import { spawn } from 'node:child_process'
import { constants } from 'node:os'
import { isatty } from 'node:tty'
import type { Readable, Writable } from 'node:stream'

/** How a child ended: an exit code, or the signal that killed it. */
export interface ChildExit {
  code: number | null
  signal: NodeJS.Signals | null
  /** Set when it could not be started at all (`ENOENT`: no such command; `EACCES`). */
  spawnError?: string
}

export interface ChildSpec {
  command: string
  args: readonly string[]
  env: Readonly<Record<string, string>>
  /** When given, stdout and stderr pass through these filters (masking) instead of directly. */
  filters?: () => { stdout: NodeJS.ReadWriteStream; stderr: NodeJS.ReadWriteStream }
}

export interface RunningChild {
  readonly pid: number | undefined
  /** Settles once the child is gone and all of its output has been written. */
  readonly exited: Promise<ChildExit>
  kill(signal: NodeJS.Signals): void
}

/** The signals `tresor run` passes on to its child. */
export const FORWARDED: readonly NodeJS.Signals[] = ['SIGINT', 'SIGTERM', 'SIGHUP']

// Filtered output goes to our own stdout/stderr, honouring back-pressure, never ending them.
function relay(from: Readable, filter: NodeJS.ReadWriteStream, to: Writable): Promise<void> {
  return new Promise((resolve) => {
    from.pipe(filter)
    filter.on('data', (chunk: Buffer) => {
      if (!to.write(chunk)) {
        filter.pause()
        to.once('drain', () => filter.resume())
      }
    })
    filter.on('end', resolve)
    filter.on('error', () => resolve())
  })
}

/** Starts `spec.command` with exactly `spec.env`; stdin is shared, output direct or filtered. */
export function startChild(spec: ChildSpec): RunningChild {
  const filters = spec.filters?.()
  const child = spawn(spec.command, [...spec.args], {
    env: spec.env,
    stdio: ['inherit', filters ? 'pipe' : 'inherit', filters ? 'pipe' : 'inherit'],
  })
  const relayed =
    filters && child.stdout && child.stderr
      ? Promise.all([
          relay(child.stdout, filters.stdout, process.stdout),
          relay(child.stderr, filters.stderr, process.stderr),
        ])
      : Promise.resolve()
  const exited = new Promise<ChildExit>((resolve) => {
    child.once('error', (err: NodeJS.ErrnoException) => {
      // No process was made: there is nothing to wait for but our own ends of the pipes.
      if (child.pid === undefined)
        resolve({ code: null, signal: null, spawnError: err.code ?? 'ENOENT' })
    })
    child.once('close', (code, signal) => {
      void relayed.then(() => resolve({ code, signal }))
    })
  })
  return {
    get pid() {
      return child.pid
    },
    exited,
    kill(signal) {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal)
    },
  }
}

/** The exit status a shell would report: the child's code, 128 + signal number, 127/126. */
export function exitCodeOf(exit: ChildExit): number {
  if (exit.spawnError !== undefined) return exit.spawnError === 'EACCES' ? 126 : 127
  if (exit.code !== null) return exit.code
  const n = exit.signal === null ? undefined : constants.signals[exit.signal]
  return 128 + (n ?? 0)
}

/**
 * Calls `onSignal` for SIGINT, SIGTERM and SIGHUP instead of letting them end this process;
 * returns the function that restores the default behaviour. A SIGINT while stdin is a terminal
 * is not passed on: Ctrl-C already reached the child, which is in the same foreground process
 * group, and a second one makes many programs skip their graceful shutdown.
 */
export function trapSignals(onSignal: (signal: NodeJS.Signals) => void): () => void {
  const terminal = isatty(0)
  const handlers = FORWARDED.map(
    (s) =>
      [
        s,
        () => {
          if (!(s === 'SIGINT' && terminal)) onSignal(s)
        },
      ] as const,
  )
  for (const [s, h] of handlers) process.on(s, h)
  return () => {
    for (const [s, h] of handlers) process.off(s, h)
  }
}
