// `npm run soak`: 3 real `tresor server` replicas on one fresh PostgreSQL database under 50
// concurrent clients for SOAK_SECONDS (default 60); at a third of the time one replica is
// SIGKILLed, at two thirds the database is cut off from every replica for 3 s. Then the same
// load on one server over embedded SQLite. Prints both side by side (and writes the table to
// bench/results/soak.txt); exits non-zero unless there were no errors besides intended 412s and
// the outage's 503s, every acknowledged write is there at the end and the audit chain verifies.
// Everything listens on 127.0.0.1 and stops by itself.
import { writeFileSync } from 'node:fs'
import { cpus, loadavg } from 'node:os'
import { setTimeout as sleep } from 'node:timers/promises'
import { running, runPhase, type Fault } from './phase.ts'
import { startRelay } from './relay.ts'
import { formatTable, type Phase } from './report.ts'
import { createDatabase } from './servers.ts'
import { OPS } from './types.ts'

const SECONDS = Number(process.env['SOAK_SECONDS'] ?? 60)
const CLIENTS = Number(process.env['SOAK_CLIENTS'] ?? 50)
const OUTAGE_MS = 3_000
const REPLICAS = 3
const log = (line: string) => process.stderr.write(`soak: ${line}\n`)

// Whatever happens to this process, no server is left behind.
process.on('exit', () => running.forEach((s) => s.proc.kill('SIGKILL')))
setTimeout(
  () => {
    log('watchdog: the run took far too long; stopping')
    process.exit(2)
  },
  (2 * SECONDS + 600) * 1000,
).unref()

const killOne: Fault = {
  atMs: (SECONDS * 1000) / 3,
  async run(servers, record) {
    const victim = servers.length - 1
    record.log(`SIGKILL ${servers[victim]?.url} at ${Math.round(SECONDS / 3)} s`)
    record.killed.add(victim)
    await servers[victim]?.kill('SIGKILL')
  },
}

async function postgresPhase(): Promise<Phase> {
  const db = await createDatabase()
  // The replicas reach PostgreSQL through a relay that can be cut: a restart, played safely.
  const relay = await startRelay(db.url)
  const outage: Fault = {
    atMs: (SECONDS * 2000) / 3,
    async run(_servers, record) {
      record.log(`database cut off for ${OUTAGE_MS} ms at ${Math.round((SECONDS * 2) / 3)} s`)
      const from = Date.now()
      await relay.cut()
      await sleep(OUTAGE_MS)
      await relay.restore()
      record.outages.push({ from, to: Date.now() })
    },
  }
  try {
    return await runPhase(
      {
        title: `PostgreSQL ×${REPLICAS}, 1 killed, ${OUTAGE_MS / 1000} s cut`,
        databaseUrl: relay.urlFor(db.url),
        ...{ replicas: REPLICAS, seconds: SECONDS, clients: CLIENTS },
        faults: [killOne, outage],
      },
      log,
    )
  } finally {
    await relay.close()
    await db.drop()
  }
}

const phases: Phase[] = [await postgresPhase()]
phases.push(
  await runPhase(
    {
      title: 'SQLite, 1 server',
      databaseUrl: undefined,
      ...{ replicas: 1, seconds: SECONDS, clients: CLIENTS, faults: [] },
    },
    log,
  ),
)

const failures = phases.flatMap((p) => [
  ...p.verdict.problems.slice(0, 20).map((m) => `${p.title}: ${m}`),
  ...Object.entries(p.load.errorKinds).map(([k, n]) => `${p.title}: ${n}× ${k}`),
])
const total = phases.reduce((n, p) => n + OPS.reduce((m, op) => m + p.load.ops[op].ok, 0), 0)
if (total === 0) failures.push('no request succeeded')
const report = [
  `${new Date().toISOString()}: ${CLIENTS} clients, ${SECONDS} s per engine, ` +
    `${cpus().length} CPUs, load average ${loadavg()
      .map((n) => n.toFixed(1))
      .join(' ')}`,
  '',
  ...formatTable(phases),
  '',
  ...failures.map((f) => `FAIL ${f}`),
  failures.length === 0 ? 'soak: ok' : `soak: ${failures.length} failure(s)`,
]
console.log(`\n${report.join('\n')}`)
// The last run's table, next to the scale chart (the README links it).
writeFileSync(new URL('../results/soak.txt', import.meta.url), `${report.join('\n')}\n`)
process.exitCode = failures.length === 0 ? 0 : 1
