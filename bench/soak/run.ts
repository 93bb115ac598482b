// `npm run soak`: 3 real `tresor server` replicas on one fresh PostgreSQL database under 50
// concurrent clients for SOAK_SECONDS (default 60), one replica SIGKILLed midway; then the same
// load on one server over embedded SQLite. Prints both side by side and exits non-zero unless
// there were no errors besides intended 412s, every acknowledged write is there at the end and
// the audit chain verifies. Everything listens on 127.0.0.1 and stops by itself.
import { fork } from 'node:child_process'
import { writeFileSync } from 'node:fs'
import { cpus, loadavg } from 'node:os'
import { createJsonClient } from './http.ts'
import { formatTable, type Phase } from './report.ts'
import { createDatabase, newSecrets, startServer, type ServerProcess } from './servers.ts'
import { OPS, type LoadConfig, type LoadResult } from './types.ts'
import { verifyAcked } from './verify.ts'

const SECONDS = Number(process.env['SOAK_SECONDS'] ?? 60)
const CLIENTS = Number(process.env['SOAK_CLIENTS'] ?? 50)
const REPLICAS = 3
const PROJECT = 'soak'
const ENVS = Array.from({ length: 10 }, (_, i) => `e${i}`)
const log = (line: string) => process.stderr.write(`soak: ${line}\n`)

const running = new Set<ServerProcess>()
// Whatever happens to this process, no server is left behind.
process.on('exit', () => running.forEach((s) => s.proc.kill('SIGKILL')))
setTimeout(
  () => {
    log('watchdog: the run took far too long; stopping')
    process.exit(2)
  },
  (2 * SECONDS + 600) * 1000,
).unref()

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

/** Runs the clients in a child process; calls `midway` once half the time has passed. */
function runLoad(cfg: LoadConfig, midway?: () => void): Promise<LoadResult> {
  const child = fork(new URL('./load.ts', import.meta.url).pathname, [], {
    execArgv: ['--import', 'tsx'],
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  })
  const half = midway && setTimeout(midway, (cfg.seconds * 1000) / 2)
  const watchdog = setTimeout(() => child.kill('SIGKILL'), (cfg.seconds + 120) * 1000)
  return new Promise<LoadResult>((resolve, reject) => {
    child.once('message', (m) => resolve(m as LoadResult))
    child.once('exit', (code) =>
      reject(new Error(`load process exited (${code}) without a result`)),
    )
    child.send(cfg)
  }).finally(() => {
    clearTimeout(half)
    clearTimeout(watchdog)
  })
}

async function startAll(count: number, databaseUrl: string | undefined, secrets = newSecrets()) {
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

async function stopAll(servers: ServerProcess[]): Promise<void> {
  await Promise.all(servers.map((s) => s.kill('SIGTERM')))
  servers.forEach((s) => running.delete(s))
}

async function phase(title: string, databaseUrl: string | undefined, replicas: number) {
  const { servers, secrets } = await startAll(replicas, databaseUrl)
  try {
    const urls = servers.map((s) => s.url)
    log(`${title}: ${urls.join(' ')}`)
    await seed(urls[0] ?? '', secrets.token)
    const cfg = {
      urls,
      token: secrets.token,
      seconds: SECONDS,
      clients: CLIENTS,
      project: PROJECT,
      envs: ENVS,
    }
    const victim = replicas > 1 ? servers[replicas - 1] : undefined
    const load = await runLoad(
      cfg,
      victim &&
        (() => {
          log(`SIGKILL ${victim.url} at ${SECONDS / 2} s`)
          void victim.kill('SIGKILL')
        }),
    )
    const live = new Map(servers.flatMap((s, i) => (s === victim ? [] : [[i, s.url] as const])))
    const http = createJsonClient(secrets.token)
    const verdict = await verifyAcked(http, live, PROJECT, load.acked)
    http.close()
    return { title, load, verdict }
  } finally {
    await stopAll(servers)
  }
}

const db = await createDatabase()
const phases: Phase[] = []
try {
  phases.push(await phase(`PostgreSQL, ${REPLICAS} replicas (1 killed)`, db.url, REPLICAS))
} finally {
  await db.drop()
}
phases.push(await phase('SQLite, 1 server', undefined, 1))

const load = loadavg().map((n) => n.toFixed(1))
const failures = phases.flatMap((p) => [
  ...p.verdict.problems.slice(0, 20).map((m) => `${p.title}: ${m}`),
  ...Object.entries(p.load.errorKinds).map(([k, n]) => `${p.title}: ${n}× ${k}`),
])
const total = phases.reduce((n, p) => n + OPS.reduce((m, op) => m + p.load.ops[op].ok, 0), 0)
if (total === 0) failures.push('no request succeeded')
const report = [
  `${new Date().toISOString()}: ${CLIENTS} clients, ${SECONDS} s per engine, ` +
    `${cpus().length} CPUs, load average ${load.join(' ')}`,
  '',
  ...formatTable(phases),
  '',
  ...failures.map((f) => `FAIL ${f}`),
  failures.length === 0 ? 'soak: ok' : `soak: ${failures.length} failure(s)`,
]
console.log(`\n${report.join('\n')}`)
// The last run's table, next to the scale chart (the README quotes a full-length run).
writeFileSync(new URL('../results/soak.txt', import.meta.url), `${report.join('\n')}\n`)
process.exitCode = failures.length === 0 ? 0 : 1
