// The real Tresor app in-process: `wire()` (store, keys, services, routes) + `buildServer()`, on
// a temp data dir and SQLite, or on a fresh PostgreSQL schema. Log lines are captured, the
// services' clock and the brute-force limiter's clock can be moved by the test.
import { randomBytes } from 'node:crypto'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { LightMyRequestResponse } from 'fastify'
import { createStaticKeyProvider } from '../../../src/crypto/index.ts'
import { buildServer, type TresorApp } from '../../../src/http/build-server.ts'
import { createFailureLimiter } from '../../../src/http/rate-limit.ts'
import { wire } from '../../../src/main/wire.ts'
import { loadOrCreatePepper } from '../../../src/services/workspaces/pepper.ts'
import type { Store } from '../../../src/storage/store.ts'
import { adminQuery, TEST_POSTGRES_URL, type EngineName } from '../../helpers/stores.ts'
import { rawSql } from './raw-sql.ts'

export interface AppOptions {
  engine?: EngineName
  logLevel?: 'debug' | 'info' | 'silent'
  /** Failed authentications per address before 429 (high by default: suites send many). */
  maxFailures?: number
  bodyLimit?: number
  /** The built-in postgres add-on (test/addons): its admin URL and a per-run name prefix. */
  addonPostgres?: { adminUrl: string; prefix: string }
  /** TRESOR_WEBHOOK_ALLOW_PRIVATE (on by default here: test receivers listen on 127.0.0.1). */
  webhookAllowPrivate?: boolean
}

/** A registered route as the security suite sees it. */
export interface RouteInfo {
  method: string
  url: string
  public: boolean
  /** Left out of the OpenAPI document (aliases, pages). */
  hidden: boolean
}

export interface AppUnderTest {
  engine: EngineName
  app: TresorApp
  store: Store
  ownerToken: string
  rootKey: Buffer
  pepper: Buffer
  dataDir: string
  /** Every JSON log line the server wrote (at the chosen level). */
  logs: string[]
  /** Moves the services' clock (token expiry, audit times) by this many ms. */
  clock: { offsetMs: number }
  /** Milliseconds seen by the brute-force limiter. */
  limiterClock: { now: number }
  /** Every route registered through a plugin (all of them but `/v1/openapi.json`). */
  routes: RouteInfo[]
  /** The PostgreSQL schema of this app's tables (undefined on SQLite). */
  schema: string | undefined
  /** Removes expired previews now (the server does it every minute). */
  sweepExpired(): Promise<number>
  /** Runs literal SQL on the app's database behind the store's back; returns rows. */
  sql(text: string): Promise<Record<string, unknown>[]>
  close(): Promise<void>
}

async function databaseOf(engine: EngineName) {
  if (engine === 'sqlite') return { url: undefined, schema: undefined, drop: async () => {} }
  const schema = `h_${randomBytes(6).toString('hex')}`
  await adminQuery(`create schema ${schema}`)
  return {
    url: TEST_POSTGRES_URL,
    schema,
    drop: () => adminQuery(`drop schema if exists ${schema} cascade`),
  }
}

/** Builds the real app with a known owner token (`bootstrapToken`) and a captured log. */
export async function startApp(options: AppOptions = {}): Promise<AppUnderTest> {
  const engine = options.engine ?? 'sqlite'
  const dataDir = mkdtempSync(join(tmpdir(), 'tresor-http-'))
  const db = await databaseOf(engine)
  const rootKey = randomBytes(32)
  const ownerToken = `tresor_pat_owner_${randomBytes(16).toString('hex')}`
  const clock = { offsetMs: 0 }
  const wired = await wire(
    {
      ...{ dataDir, databaseUrl: db.url, rootKey, bootstrapToken: ownerToken },
      webhookAllowPrivate: options.webhookAllowPrivate ?? true,
      ...(options.addonPostgres === undefined
        ? {}
        : {
            addonPostgresAdminUrl: options.addonPostgres.adminUrl,
            addonPostgresPrefix: options.addonPostgres.prefix,
          }),
    },
    { now: () => new Date(Date.now() + clock.offsetMs) },
    db.schema === undefined ? {} : { schema: db.schema, poolSize: 4 },
  )
  const pepper = await loadOrCreatePepper(wired.store, createStaticKeyProvider(rootKey), {
    now: () => new Date(),
  })
  const logs: string[] = []
  const limiterClock = { now: 1_000_000 }
  const app = buildServer({
    version: '0.0.0-test',
    log: {
      level: options.logLevel ?? 'debug',
      destination: { write: (line: string) => logs.push(line) },
    },
    auth: {
      authenticate: wired.authenticate,
      // As src/main/wire.ts passes it: cookie sessions and `tresor_ses_` bearers work here too.
      authenticateSession: wired.authenticateSession,
      limiter: createFailureLimiter({
        maxFailures: options.maxFailures ?? 100_000,
        windowMs: 60_000,
        now: () => limiterClock.now,
      }),
    },
    bodyLimit: options.bodyLimit ?? 1024 * 1024,
    routes: wired.routes,
  })
  const routes: RouteInfo[] = []
  app.addHook('onRoute', (r) => {
    for (const method of [r.method].flat()) {
      const hidden = (r.schema as { hide?: boolean } | undefined)?.hide === true
      routes.push({ method, url: r.url, public: r.config?.public === true, hidden })
    }
  })
  app.addHook('onClose', async () => wired.close())
  await app.ready()
  return {
    ...{ engine, app, store: wired.store, ownerToken, rootKey, pepper, dataDir, logs, clock },
    limiterClock,
    routes,
    sweepExpired: wired.sweepExpired,
    schema: db.schema,
    sql: (text) => rawSql({ engine, dataDir, schema: db.schema }, text),
    async close() {
      await app.close()
      await db.drop()
      rmSync(dataDir, { recursive: true, force: true })
    },
  }
}

export interface CallOptions {
  token?: string | null
  body?: unknown
  headers?: Record<string, string>
}

/** One request through `app.inject` with the owner token unless another (or null) is given. */
export function call(
  t: AppUnderTest,
  method: string,
  url: string,
  options: CallOptions = {},
): Promise<LightMyRequestResponse> {
  const token = options.token === undefined ? t.ownerToken : options.token
  const headers: Record<string, string> = { ...options.headers }
  if (token !== null) headers['authorization'] = `Bearer ${token}`
  const body = options.body
  return t.app.inject({
    method: method as 'GET',
    url,
    headers,
    ...(body === undefined
      ? {}
      : typeof body === 'string'
        ? { payload: body }
        : { payload: body as Record<string, unknown> }),
  })
}

/** `call` that must answer `status`; returns the parsed JSON body (or text for non-JSON). */
export async function ok<T = Record<string, unknown>>(
  t: AppUnderTest,
  method: string,
  url: string,
  options: CallOptions & { status?: number } = {},
): Promise<T> {
  const res = await call(t, method, url, options)
  const want = options.status ?? 200
  if (res.statusCode !== want) {
    throw new Error(`${method} ${url}: expected ${want}, got ${res.statusCode}: ${res.body}`)
  }
  const type = String(res.headers['content-type'] ?? '')
  return (type.includes('json') ? res.json() : res.body) as T
}
