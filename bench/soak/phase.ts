// One phase of the soak: start the servers, seed the project, run the load process with its
// faults on schedule, then verify every acknowledged write on the servers still alive.
import { fork } from 'node:child_process'
import { createJsonClient } from './http.ts'
import type { Phase } from './report.ts'
import { newSecrets, startServer, type ServerProcess } from './servers.ts'
import type { LoadConfig, LoadResult } from './types.ts'
import { verifyAcked } from './verify.ts'

export const PROJECT = 'soak'
const ENVS = Array.from({ length: 10 }, (_, i) => `e${i}`)
// A request already waiting for a database connection when the outage ends may still answer
// 503 a little later (the pool waits up to 5 s for a connection).
const OUTAGE_GRACE_MS = 6_000

/** Something done to the servers while the load runs, `atMs` after it starts. */
export interface Fault {
  atMs: number
  run: (servers: ServerProcess[], record: FaultRecord) => Promise<void>
}

export interface FaultRecord {
  /** Servers killed: left out of the final checks. */
  killed: Set<number>
  /** Windows (ms since the epoch) in which 503 answers are expected. */
  outages: { from: number; to: number }[]
  log: (line: string) => void
}

/** Servers started by any phase and not stopped yet: the runner kills them if it must exit. */
export const running = new Set<ServerProcess>()

/** The project and its environments, each at revision 2 so that `If-Match: "1"` is stale. */
async function seed(url: string, token: string): Promise<void> {
  const http = createJsonClient(token)
  const created = await http.send(url, 'POST', '/v1/projects', {
    slug: PROJECT,
    environments: ENVS,
  })
  if (created.status !== 201) throw new Error(`project creation: status ${created.status}`)
  for (const env of ENVS) {
    for (const n of [1, 2]) {
      const path = `/v1/projects/${PROJECT}/environments/${env}/vars`
      const res = await http.send(url, 'PATCH', path, { env: { [`SEED_${n}`]: `seed-${n}` } })
      if (res.status !== 200) throw new Error(`seeding ${env}: status ${res.status}`)
    }
  }
  http.close()
}

/** Runs the clients in a child process (its own event loop), with a watchdog. */
function runLoad(cfg: LoadConfig): Promise<LoadResult> {
  const child = fork(new URL('./load.ts', import.meta.url).pathname, [], {
    execArgv: ['--import', 'tsx'],
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  })
  const watchdog = setTimeout(() => child.kill('SIGKILL'), (cfg.seconds + 120) * 1000)
  return new Promise<LoadResult>((resolve, reject) => {
    child.once('message', (m) => resolve(m as LoadResult))
    child.once('exit', (code) =>
      reject(new Error(`load process exited (${code}) without a result`)),
    )
    child.send(cfg)
  }).finally(() => clearTimeout(watchdog))
}

async function startAll(count: number, databaseUrl: string | undefined) {
  const secrets = newSecrets()
  // Started at once on purpose: concurrent migrations and first-start bootstrap are under test.
  const servers = await Promise.all(
    Array.from({ length: count }, () => startServer(secrets, databaseUrl)),
  )
  servers.forEach((s) => running.add(s))
  const http = createJsonClient(secrets.token)
  for (const s of servers) {
    const ready = await http.send(s.url, 'GET', '/readyz')
    if (ready.status !== 200) throw new Error(`${s.url}/readyz: status ${ready.status}`)
  }
  http.close()
  return { servers, secrets }
}

/** 503 answers outside every outage window (plus its grace): each one is a failure. */
function stray503s(load: LoadResult, record: FaultRecord): number {
  const expected = (t: number) =>
    record.outages.some((o) => t >= o.from && t <= o.to + OUTAGE_GRACE_MS)
  return load.unavailableAt.filter((t) => !expected(t)).length
}

export interface PhaseSpec {
  title: string
  databaseUrl: string | undefined
  replicas: number
  seconds: number
  clients: number
  faults: Fault[]
}

/** Runs one phase end to end and returns its numbers and verdict. */
export async function runPhase(spec: PhaseSpec, log: (line: string) => void): Promise<Phase> {
  const { servers, secrets } = await startAll(spec.replicas, spec.databaseUrl)
  const record: FaultRecord = { killed: new Set(), outages: [], log }
  try {
    const urls = servers.map((s) => s.url)
    log(`${spec.title}: ${urls.join(' ')}`)
    await seed(urls[0] ?? '', secrets.token)
    const { seconds, clients } = spec
    const cfg = { urls, token: secrets.token, seconds, clients, project: PROJECT, envs: ENVS }
    const pending: Promise<void>[] = []
    const timers = spec.faults.map((f) =>
      setTimeout(() => pending.push(f.run(servers, record)), f.atMs),
    )
    const load = await runLoad(cfg).finally(() => timers.forEach(clearTimeout))
    await Promise.all(pending)
    const live = new Map(urls.flatMap((u, i) => (record.killed.has(i) ? [] : [[i, u] as const])))
    const http = createJsonClient(secrets.token)
    const verdict = await verifyAcked(http, live, PROJECT, load.acked)
    http.close()
    const stray = stray503s(load, record)
    if (stray > 0) verdict.problems.push(`${stray} answers were 503 outside the database outage`)
    return { title: spec.title, load, verdict }
  } finally {
    await Promise.all(servers.map((s) => s.kill('SIGTERM')))
    servers.forEach((s) => running.delete(s))
  }
}
