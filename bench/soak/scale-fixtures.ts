// Apps for bench/scale.bench.ts: the real Tresor app (wire + buildServer, as `tresor server`
// builds it) on a temp SQLite file or a fresh PostgreSQL schema, seeded through the HTTP API
// (one PATCH of many variables per environment) and read through it.
import { randomBytes } from 'node:crypto'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import pg from 'pg'
import { buildServer, type TresorApp } from '../../src/http/build-server.ts'
import { wire } from '../../src/main/wire.ts'

export type Engine = 'sqlite' | 'postgres'

/** Variables of the environment whose read is timed, at every size. */
export const PROBE_VARS = 10
const PROBE = '/v1/projects/app/environments/probe/vars'
const POSTGRES_URL = process.env['TEST_POSTGRES_URL'] ?? 'postgres://postgres@127.0.0.1:5432/test'

export interface ScaleApp {
  app: TresorApp
  token: string
  /** One GET of the probe environment's variables; throws unless 200. */
  readProbe(): Promise<void>
  close(): Promise<void>
}

async function admin(sql: string): Promise<void> {
  const client = new pg.Client({ connectionString: POSTGRES_URL, connectionTimeoutMillis: 1500 })
  client.on('error', () => {})
  try {
    await client.connect()
    await client.query(sql)
  } finally {
    await client.end().catch(() => {})
  }
}

/** True when the local PostgreSQL answers within 1.5 s (SCALE_POSTGRES=0 skips it). */
export async function postgresAnswers(): Promise<boolean> {
  if (process.env['SCALE_POSTGRES'] === '0') return false
  return admin('select 1').then(
    () => true,
    () => false,
  )
}

/** The app on a fresh store of `engine`, with a known owner token. */
export async function openScaleApp(engine: Engine): Promise<ScaleApp> {
  const dataDir = mkdtempSync(join(tmpdir(), 'tresor-scale-'))
  const schema = engine === 'postgres' ? `scale_${randomBytes(6).toString('hex')}` : undefined
  if (schema !== undefined) await admin(`create schema ${schema}`)
  const token = `tresor_pat_scale_${randomBytes(16).toString('hex')}`
  const wired = await wire(
    {
      dataDir,
      databaseUrl: schema === undefined ? undefined : POSTGRES_URL,
      rootKey: randomBytes(32),
      bootstrapToken: token,
    },
    undefined,
    schema === undefined ? {} : { schema, poolSize: 4 },
  )
  const app = buildServer({
    version: 'bench',
    log: { level: 'silent' },
    auth: { authenticate: wired.authenticate },
    bodyLimit: 1 << 22,
    routes: wired.routes,
  })
  app.addHook('onClose', async () => wired.close())
  await app.ready()
  const headers = { authorization: `Bearer ${token}` }
  return {
    app,
    token,
    async readProbe() {
      const res = await app.inject({ method: 'GET', url: PROBE, headers })
      if (res.statusCode !== 200) throw new Error(`GET probe: status ${res.statusCode}`)
    },
    async close() {
      await app.close()
      if (schema !== undefined) await admin(`drop schema if exists ${schema} cascade`)
      rmSync(dataDir, { recursive: true, force: true })
    },
  }
}

async function send(a: ScaleApp, method: 'POST' | 'PATCH' | 'GET', url: string, body?: object) {
  const res = await a.app.inject({
    method,
    url,
    headers: { authorization: `Bearer ${a.token}` },
    ...(body === undefined ? {} : { payload: body }),
  })
  if (res.statusCode >= 300) throw new Error(`${method} ${url}: status ${res.statusCode}`)
  return res.json<Record<string, unknown>>()
}

/** `n` variables like real ones: 44-character random values, every other one a secret. */
function variables(prefix: string, n: number) {
  const env: Record<string, string> = {}
  const secrets: string[] = []
  for (let i = 0; i < n; i++) {
    env[`${prefix}_${i}`] = randomBytes(32).toString('base64')
    if (i % 2 === 0) secrets.push(`${prefix}_${i}`)
  }
  return { env, secrets }
}

/** The probe environment (PROBE_VARS variables) plus `envs - 1` others holding the rest. */
export async function seedScale(a: ScaleApp, vars: number, envs: number): Promise<void> {
  await send(a, 'POST', '/v1/projects', { slug: 'app', environments: ['probe'] })
  await send(a, 'PATCH', PROBE, variables('PROBE', PROBE_VARS))
  const fillers = envs - 1
  const rest = vars - PROBE_VARS
  for (let i = 0; i < fillers; i++) {
    const n = Math.floor(rest / fillers) + (i < rest % fillers ? 1 : 0)
    await send(a, 'POST', '/v1/projects/app/environments', { slug: `env-${i}` })
    await send(a, 'PATCH', `/v1/projects/app/environments/env-${i}/vars`, variables('APP', n))
  }
  // The list also shows the system variables Tresor adds (TRESOR_ENVIRONMENT, …).
  const listed = (await send(a, 'GET', PROBE)) as { vars?: { key: string; system?: boolean }[] }
  const own = (listed.vars ?? []).filter((v) => v.system !== true)
  if (own.length !== PROBE_VARS || !own.every((v) => v.key.startsWith('PROBE_'))) {
    throw new Error(`the probe environment lists ${own.length} variables`)
  }
}
