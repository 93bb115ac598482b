import { closeSync, fsyncSync, openSync, statSync } from 'node:fs'
import { createRequire } from 'node:module'
import type BetterSqlite3 from 'better-sqlite3'
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
/** WAL length (pages) from which the writer finishes the worker's checkpoint whatever its tail. */
const LONG_TAIL_PAGES = RESTART_PAGES * 1.5

export interface CheckpointerOptions {
  path: string
  /** How often the worker looks for new commits (default 50 ms). */
  pollMs?: number
  /** Sets the writer's `wal_autocheckpoint` (the backstop, or the default when the worker dies). */
  setAutoCheckpoint: (pages: number) => void
  /**
   * Makes room in the WAL file (makeWalRoom on the writer's connection), called once when the
   * worker starts, between two of the writer's transactions.
   */
  makeRoom?: () => unknown
  /** Runs `wal_checkpoint(PASSIVE)` on the writer's connection: WAL pages, and pages copied. */
  checkpointNow: () => { log: number; checkpointed: number }
}

export interface Checkpointer {
  /** Told after every commit of the writer connection. */
  committed: () => void
  /** Stops the worker (waits for a running checkpoint); the writer goes back to the default. */
  close: () => Promise<void>
}

/**
 * WAL frames the writer makes room for when the worker starts: a little more than the WAL
 * reaches before it starts over (RESTART_PAGES plus the commits made while the worker's last
 * checkpoint ran; 4,400-5,400 measured).
 */
export const ROOM_FRAMES = 5600

/** The page cache while making room: pages past it spill to the WAL. */
const ROOM_CACHE_PAGES = 16

/**
 * Makes the WAL file of `db` (a connection to the database at `path`, in WAL mode, outside any
 * transaction) at least `frames` frames long, if it is shorter; true when it did.
 *
 * A commit that makes the WAL file longer must also get the file system to record the new
 * length: on ext4, a journal commit inside that commit's fsync. Measured: a store's first ~300
 * commits of a 100-key document after opening took 800-1,000 µs, against ~500 µs once the WAL
 * starts over in a file already that long (a raw one-row INSERT: 160 against 108 µs). SQLite never
 * shortens the WAL file while the database is open (journal_size_limit is not set), so a file
 * long enough once stays so. SQLite itself lengthens it here: one transaction writes more pages
 * than the page cache holds, SQLite spills them to the WAL as frames without a commit mark, and
 * the transaction rolls back. Frames after the last commit mark are never read, nor replayed
 * after a crash; the next commits overwrite them, and the database file does not change. It takes
 * 35-45 ms once, so only stores that live long enough to start the worker pay it. (PostgreSQL and
 * InnoDB pre-allocate their logs for the same reason.)
 */
export function makeWalRoom(db: BetterSqlite3.Database, path: string, frames: number): boolean {
  const wal = `${path}-wal`
  const pageSize = Number(db.pragma('page_size', { simple: true }))
  const bytes = frames * (pageSize + 24)
  if (frames <= 0 || statSync(wal).size >= bytes) return false
  // The pages still in the cache at the end are never written: a blob that many pages longer.
  const blob = bytes + 2 * ROOM_CACHE_PAGES * pageSize
  // Never waits: if another process holds the write lock, the WAL grows as it would have.
  const timeout = Number(db.pragma('busy_timeout', { simple: true }))
  // A page cache of a few pages, so nearly every page written spills to the WAL.
  const cache = Number(db.pragma('cache_size', { simple: true }))
  db.pragma('busy_timeout = 0')
  try {
    db.exec('begin immediate')
  } finally {
    db.pragma(`busy_timeout = ${timeout}`)
  }
  try {
    db.pragma(`cache_size = ${ROOM_CACHE_PAGES}`)
    db.exec('create table tresor_wal_room (b blob)')
    db.prepare('insert into tresor_wal_room values (zeroblob(?))').run(blob)
  } finally {
    // SQLite may already have rolled back (e.g. the disk is full).
    if (db.inTransaction) db.exec('rollback')
    db.pragma(`cache_size = ${cache}`)
  }
  // Written back now, not inside the next commit's fsync (which would do it otherwise).
  try {
    const fd = openSync(wal, 'r')
    try {
      fsyncSync(fd)
    } finally {
      closeSync(fd)
    }
  } catch {
    // A platform that cannot fsync a file opened for reading: the next commit does it.
  }
  return true
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
      if (++count === START_AFTER_COMMITS && !closed) {
        start()
        if (worker !== undefined) {
          try {
            options.makeRoom?.()
          } catch {
            // Busy, or no space left: the WAL grows commit by commit, as it would without this.
          }
        }
      }
      if (worker === undefined) return
      const log = Atomics.load(shared, 1)
      if (log < RESTART_PAGES || Atomics.load(shared, 2) !== log) return
      // A long tail is copied too once the WAL is half as long again: under a stream of writes
      // as fast as the writer can go, the worker's checkpoints always trail by many commits.
      const tail = commitsNow - Atomics.load(shared, 3)
      if (tail > MAX_TAIL_COMMITS && log < LONG_TAIL_PAGES) return
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
