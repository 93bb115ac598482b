// Real `tresor server` processes for the soak: the built binary on 127.0.0.1 port 0, each with
// its own data dir, all sharing one root key and bootstrap token (what replicas need), and a
// database of their own on the local PostgreSQL, dropped at the end.
import { spawn, type ChildProcess } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import pg from 'pg'

const BIN = new URL('../../bin/tresor.js', import.meta.url).pathname

export const ADMIN_URL =
  process.env['SOAK_POSTGRES_URL'] ?? 'postgres://postgres@127.0.0.1:5432/test'

export interface Secrets {
  rootKey: string
  /** TRESOR_BOOTSTRAP_TOKEN; omitted = the first replica to commit makes (and saves) one. */
  token?: string
}

/** A fresh root key (base64 of 32 bytes) and bootstrap token shared by every replica of a run. */
export const newSecrets = (): Required<Secrets> => ({
  rootKey: randomBytes(32).toString('base64'),
  token: `tresor_pat_soak_${randomBytes(20).toString('hex')}`,
})

export interface ServerProcess {
  url: string
  proc: ChildProcess
  /** Its TRESOR_DATA_DIR (removed when it exits). */
  dataDir: string
  /** The last few KB of stderr, for a failure report. */
  stderrTail(): string
  kill(signal: NodeJS.Signals): Promise<void>
}

/** Starts `bin/tresor.js server` and resolves once it printed its listening line (20 s at most). */
export function startServer(
  secrets: Secrets,
  databaseUrl: string | undefined,
): Promise<ServerProcess> {
  const dataDir = mkdtempSync(join(tmpdir(), 'tresor-soak-'))
  const env: NodeJS.ProcessEnv = {
    PATH: process.env['PATH'],
    TRESOR_HOST: '127.0.0.1',
    TRESOR_PORT: '0',
    TRESOR_DATA_DIR: dataDir,
    TRESOR_ROOT_KEY: secrets.rootKey,
    ...(secrets.token === undefined ? {} : { TRESOR_BOOTSTRAP_TOKEN: secrets.token }),
    TRESOR_LOG_LEVEL: 'warn',
    ...(databaseUrl === undefined ? {} : { TRESOR_DATABASE_URL: databaseUrl }),
  }
  const proc = spawn(process.execPath, [BIN, 'server'], { env, stdio: ['ignore', 'pipe', 'pipe'] })
  let tail = ''
  proc.stderr.on('data', (c: Buffer) => (tail = (tail + c.toString('utf8')).slice(-4000)))
  const exited = new Promise<void>((resolve) => proc.once('exit', () => resolve()))
  void exited.then(() => rmSync(dataDir, { recursive: true, force: true }))
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`server did not start: ${tail}`)), 20_000)
    let out = ''
    proc.stdout.on('data', (c: Buffer) => {
      out += c.toString('utf8')
      const m = /Tresor listening on (http:\/\/\S+)/.exec(out)
      if (m?.[1] === undefined) return
      clearTimeout(timer)
      resolve({
        url: m[1],
        proc,
        dataDir,
        stderrTail: () => tail,
        kill: async (signal) => {
          if (proc.exitCode === null && proc.signalCode === null) proc.kill(signal)
          await exited
        },
      })
    })
    proc.once('exit', (code) => {
      clearTimeout(timer)
      reject(new Error(`server exited (${code}) before listening: ${tail}`))
    })
  })
}

async function admin(sql: string): Promise<void> {
  const client = new pg.Client({ connectionString: ADMIN_URL })
  await client.connect()
  try {
    await client.query(sql)
  } finally {
    await client.end()
  }
}

/** Creates an empty database for one run and returns its URL and a function dropping it. */
export async function createDatabase(): Promise<{ url: string; drop: () => Promise<void> }> {
  const name = `tresor_soak_${randomBytes(5).toString('hex')}`
  await admin(`create database ${name}`)
  const url = new URL(ADMIN_URL)
  url.pathname = `/${name}`
  return {
    url: url.toString(),
    // WITH (FORCE) ends connections a killed replica may have left behind.
    drop: () => admin(`drop database if exists ${name} with (force)`),
  }
}
