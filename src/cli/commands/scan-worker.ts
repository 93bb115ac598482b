// Entry point of `tresor scan`'s worker threads (built as dist/scan-worker.js): started by
// scan-parallel.ts with a job, it scans its share of the files and posts the result back.
import { parentPort, workerData } from 'node:worker_threads'
import { MARK, scanShare, type Job } from './scan-parallel.ts'

const job = workerData as Job | undefined
if (job?.mark === MARK) parentPort?.postMessage(scanShare(job.files, job.fingerprints))
