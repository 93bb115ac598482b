import { availableParallelism } from 'node:os'
import { Worker } from 'node:worker_threads'
import { createFingerprintSet, createScanner, type FingerprintItem } from '../../core/scan/index.ts'
import { scanFiles, type FilesScanned, type ScanFile } from './scan-files.ts'

/** The project's fingerprints as they cross to worker threads: plain data. */
export interface WireFingerprints {
  scanKey: string
  items: FingerprintItem[]
}

/** Tells scan-worker.ts that it runs as a worker of this module. */
export const MARK = 'tresor-scan-worker'
/** Below this much text a second thread costs more to start than it saves. */
export const PARALLEL_MIN_BYTES = 16 * 1024 * 1024

/** What a worker is given. */
export interface Job {
  mark: typeof MARK
  files: ScanFile[]
  fingerprints: WireFingerprints | undefined
}

/** Scans one share of the files (in this thread or a worker's). */
export function scanShare(
  files: ScanFile[],
  fingerprints: WireFingerprints | undefined,
): FilesScanned {
  const set =
    fingerprints === undefined
      ? undefined
      : createFingerprintSet(Buffer.from(fingerprints.scanKey, 'base64'), fingerprints.items)
  return scanFiles(files, createScanner(set === undefined ? {} : { fingerprints: set }))
}

function runWorker(files: ScanFile[], fingerprints: WireFingerprints | undefined) {
  return new Promise<FilesScanned>((resolve, reject) => {
    const data: Job = { mark: MARK, files, fingerprints }
    // Built as dist/scan-worker.js, beside the chunk or bundle this module is part of.
    const worker = new Worker(new URL('./scan-worker.js', import.meta.url), { workerData: data })
    worker.once('message', (result: FilesScanned) => {
      resolve(result)
      void worker.terminate()
    })
    worker.once('error', reject)
    worker.once('exit', (code) => reject(new Error(`scan worker exited with code ${code}`)))
  })
}

/** Splits files into `n` shares of about equal bytes (largest first, each to the lightest). */
export function shareOut(files: readonly ScanFile[], n: number): ScanFile[][] {
  const shares = Array.from({ length: n }, () => ({ bytes: 0, files: [] as ScanFile[] }))
  for (const file of [...files].sort((a, b) => b.size - a.size)) {
    const lightest = shares.reduce((a, b) => (b.bytes < a.bytes ? b : a))
    lightest.files.push(file)
    lightest.bytes += file.size
  }
  return shares.map((s) => s.files)
}

// Run from TypeScript source (tsx, vitest), a worker could not load scan-worker.ts: Node 20
// does not pass loader hooks to worker threads. The built CLI is plain JavaScript.
const CAN_FORK = !import.meta.url.endsWith('.ts')

/**
 * Threads a scan uses by default: one per core (at most 8) from 4 cores up. On two cores a
 * second thread's start-up and cold JIT cost about what it saves, and more under load
 * (measured by bench/scan.bench.ts).
 */
export function defaultThreads(cores = availableParallelism()): number {
  return cores >= 4 ? Math.min(8, cores) : 1
}

/**
 * Scans files on several threads when there is enough text to gain from it, else on this
 * thread alone. The result is the same either way, up to order.
 */
export async function scanFilesInParallel(
  files: readonly ScanFile[],
  fingerprints: WireFingerprints | undefined,
  threads = defaultThreads(),
): Promise<FilesScanned & { threads: number }> {
  const bytes = files.reduce((n, f) => n + f.size, 0)
  if (!CAN_FORK || threads < 2 || bytes < PARALLEL_MIN_BYTES)
    return { ...scanShare([...files], fingerprints), threads: 1 }
  const [mine = [], ...others] = shareOut(files, threads)
  const pending = others.map((share) => runWorker(share, fingerprints))
  const results = [scanShare(mine, fingerprints), ...(await Promise.all(pending))]
  return {
    findings: results.flatMap((r) => r.findings),
    files: results.reduce((n, r) => n + r.files, 0),
    bytes: results.reduce((n, r) => n + r.bytes, 0),
    binary: results.reduce((n, r) => n + r.binary, 0),
    unreadable: results.flatMap((r) => r.unreadable),
    threads,
  }
}
