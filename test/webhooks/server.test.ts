import { randomBytes } from 'node:crypto'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import BetterSqlite3 from 'better-sqlite3'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { parseServerConfig } from '../../src/config/server-config.ts'
import { startServer, type RunningServer } from '../../src/main/server.ts'
import { verifyWebhookSignature } from '../../src/services/webhooks/signature.ts'
import { startReceiver, type Answer, type Receiver } from './helpers/receiver.ts'

// `tresor server` itself: its worker runs on real timers and wakes on each release. SQLite only:
// the server takes no PostgreSQL schema to isolate a run in; the store side of deliveries is
// proven on both engines in delivery.test.ts and retries.test.ts.
describe('tresor server delivers webhooks (sqlite only: no per-run PostgreSQL schema)', () => {
  const token = `tresor-bootstrap-${randomBytes(16).toString('hex')}`
  let dataDir: string
  let server: RunningServer
  let closed = false
  let answer: Answer = 204
  let rx: Receiver

  const api = async <T>(method: string, path: string, body?: unknown): Promise<T> => {
    const res = await fetch(`${server.url}${path}`, {
      method,
      headers: {
        authorization: `Bearer ${token}`,
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    })
    if (res.status >= 300) throw new Error(`${method} ${path}: ${res.status} ${await res.text()}`)
    return (await res.json()) as T
  }

  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'tresor-webhooks-'))
    const parsed = parseServerConfig(
      {
        TRESOR_DATA_DIR: dataDir,
        TRESOR_PORT: '0',
        TRESOR_BOOTSTRAP_TOKEN: token,
        TRESOR_LOG_LEVEL: 'silent',
        // The receiver listens on 127.0.0.1.
        TRESOR_WEBHOOK_ALLOW_PRIVATE: 'true',
      },
      {},
    )
    if (!parsed.ok) throw new Error(JSON.stringify(parsed.problems))
    server = await startServer(parsed.config, { stdout: () => {}, stderr: () => {} })
    rx = await startReceiver(() => answer)
  })
  afterAll(async () => {
    if (!closed) await server.close()
    await rx.close()
    rmSync(dataDir, { recursive: true, force: true })
  })

  it('sends a release to the receiver right after it commits', async () => {
    await api('POST', '/v1/projects', { slug: 'shop' })
    const hook = await api<{ secret: string }>('POST', '/v1/projects/shop/webhooks', {
      url: `${rx.url}/restart`,
    })
    const started = performance.now()
    const rel = await api<{ id: string }>('POST', '/v1/projects/shop/environments/staging/releases')
    await expect.poll(() => rx.received.length, { timeout: 3000, interval: 10 }).toBe(1)
    const latencyMs = performance.now() - started
    const got = rx.received[0]!
    const header = String(got.headers['tresor-signature'])
    expect(verifyWebhookSignature(hook.secret, header, got.body, 30)).toBe(true)
    expect(JSON.parse(got.body)).toMatchObject({ release: { id: rel.id, number: 1 } })
    expect(String(got.headers['user-agent'])).toMatch(/^Tresor-Webhooks\/\d+\.\d+\.\d+/)
    // Woken by the release, not found by the 5 s poll.
    expect(latencyMs).toBeLessThan(1500)
  })

  it('closing aborts a request in flight and leaves its delivery due again', async () => {
    answer = 'hang'
    await api('POST', '/v1/projects/shop/environments/staging/releases')
    await expect.poll(() => rx.received.length, { timeout: 3000, interval: 10 }).toBe(2)
    const started = performance.now()
    await server.close()
    closed = true
    // Well under the 5 s request timeout: the worker aborted instead of waiting.
    expect(performance.now() - started).toBeLessThan(2000)
    const db = new BetterSqlite3(join(dataDir, 'tresor.db'), { readonly: true })
    try {
      const rows = db
        .prepare(
          'select status, attempts, next_attempt_at from webhook_deliveries order by created_at',
        )
        .all() as { status: string; attempts: number; next_attempt_at: string | null }[]
      expect(rows.map((r) => [r.status, r.attempts])).toEqual([
        ['delivered', 1],
        ['pending', 1],
      ])
      expect(Date.parse(rows[1]?.next_attempt_at ?? '')).toBeGreaterThan(Date.now())
    } finally {
      db.close()
    }
  })
})
