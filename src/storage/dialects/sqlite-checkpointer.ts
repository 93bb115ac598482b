import { createRequire } from 'node:module'
import { Worker } from 'node:worker_threads'

// SQLite's automatic checkpoint runs inside the commit that crosses `wal_autocheckpoint` pages:
// that commit copies ~1,000 pages into the database file and fsyncs it, 5-20 ms on the event
// loop, every ~65 commits of a 100-variable document (each writes ~15 WAL pages). Those commits
// were the PUT p99. A worker thread with its own connection checkpoints instead (PASSIVE: it
// never blocks the writer), and the writer's own checkpoint stays as a backstop far above it.
// The WAL only starts over when a write begins while every frame is checkpointed, which a
// worker racing a busy writer rarely sees; so once the WAL is long, the writer itself copies
// the few frames the worker has not (one small checkpoint) and the next write starts over.

/** Pages of WAL after which the writer checkpoints itself (only if the worker falls behind). */
export const BACKSTOP_PAGES = 20_000
/** SQLite's default: what the writer goes back to when the worker is gone. */
const DEFAULT_PAGES = 1000
/** Commits after which the worker is started: short-lived stores (tests, CLI) never pay for it. */
const START_AFTER_COMMITS = 64
/** WAL length (pages) at which the writer finishes the worker's checkpoint so the WAL restarts. */
const RESTART_PAGES = 4000
/**
 * The most commits the writer copies itself when finishing (those made since the worker's last
 * complete checkpoint began): a few dozen pages and one fsync, once every ~4,000 pages.
 */
const MAX_TAIL_COMMITS = 8

export interface CheckpointerOptions {
  path: string
  /** How often the worker looks for new commits (default 50 ms). */
  pollMs?: number
  /** Sets the writer's `wal_autocheckpoint` (the backstop, or the default when the worker dies). */
  setAutoCheckpoint: (pages: number) => void
  /** Runs `wal_checkpoint(PASSIVE)` on the writer's connection: WAL pages, and pages copied. */
  checkpointNow: () => { log: number; checkpointed: number }
}

export interface Checkpointer {
  /** Told after every commit of the writer connection. */
  committed: () => void
  /** Stops the worker (waits for a running checkpoint); the writer goes back to the default. */
  close: () => Promise<void>
}

// CommonJS run by the worker: checkpoint whenever the writer committed since the last look.
const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads')
const Database = require(workerData.driver)
const db = new Database(workerData.path, { fileMustExist: true })
db.pragma('synchronous = FULL')
const shared = new Int32Array(workerData.shared)
let seen = 0
const timer = setInterval(() => {
  const now = Atomics.load(shared, 0)
  if (now === seen) return
  seen = now
  try {
    const [r] = db.pragma('wal_checkpoint(PASSIVE)')
    if (r && r.busy === 0) {
      Atomics.store(shared, 3, now)
      Atomics.store(shared, 1, r.log)
      Atomics.store(shared, 2, r.checkpointed)
    }
  } catch {
    // Busy or a transient I/O error: the next commit brings the next try.
  }
}, workerData.pollMs)
parentPort.on('message', () => {
  clearInterval(timer)
  db.close()
  parentPort.close()
})
`

/**
 * Moves WAL checkpoints of the SQLite database at `options.path` off the writer's thread. The
 * worker starts after a few dozen commits; if it cannot start or dies, the writer checkpoints
 * itself again as SQLite does by default. Durability is unchanged: every commit is still fsynced
 * to the WAL by the writer before it is acknowledged; a checkpoint only copies committed pages.
 */
export function createCheckpointer(options: CheckpointerOptions): Checkpointer {
  // [commits of the writer; as of the worker's last checkpoint: WAL pages, pages checkpointed,
  // and the writer's commits when it began (every commit since is in the uncheckpointed tail)]
  const shared = new Int32Array(new SharedArrayBuffer(16))
  let count = 0
  let worker: Worker | undefined
  let closed = false
  let stopped: Promise<void> = Promise.resolve()

  const fallBack = () => {
    worker = undefined
    if (!closed) options.setAutoCheckpoint(DEFAULT_PAGES)
  }

  function start() {
    const driver = createRequire(import.meta.url).resolve('better-sqlite3')
    const workerData = {
      driver,
      path: options.path,
      shared: shared.buffer,
      pollMs: options.pollMs ?? 50,
    }
    try {
      worker = new Worker(WORKER_SOURCE, { eval: true, workerData })
    } catch {
      return
    }
    const w = worker
    w.unref()
    stopped = new Promise((resolve) => w.once('exit', () => resolve()))
    w.once('error', fallBack)
    w.once('exit', fallBack)
    options.setAutoCheckpoint(BACKSTOP_PAGES)
  }

  return {
    committed() {
      const commitsNow = Atomics.add(shared, 0, 1) + 1
      if (++count === START_AFTER_COMMITS && !closed) start()
      if (worker === undefined) return
      const log = Atomics.load(shared, 1)
      if (log < RESTART_PAGES || Atomics.load(shared, 2) !== log) return
      if (commitsNow - Atomics.load(shared, 3) > MAX_TAIL_COMMITS) return
      // Reset first, so a failing checkpoint is not retried after every commit.
      Atomics.store(shared, 1, 0)
      try {
        // All copied: the next write starts the WAL over, so there is nothing to finish.
        const r = options.checkpointNow()
        const done = r.checkpointed === r.log
        Atomics.store(shared, 1, done ? 0 : r.log)
        Atomics.store(shared, 2, done ? 0 : r.checkpointed)
      } catch {
        // Busy (the worker is checkpointing): the worker's next report brings the next try.
      }
    },
    async close() {
      closed = true
      // Referenced again: an unreferenced worker would let the process exit mid-close.
      worker?.ref()
      worker?.postMessage('close')
      await stopped
    },
  }
}
