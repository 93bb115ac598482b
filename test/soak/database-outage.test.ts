// The database going away under a real `tresor server` (PostgreSQL restarted, network cut),
// played with a TCP relay between the server and PostgreSQL that is cut and restored: while it
// is down, requests fail with a clear 503 UNAVAILABLE and /readyz says not ready; afterwards the
// server recovers by itself, and what was acknowledged before is still there.
import { afterAll, describe, expect, it } from 'vitest'
import { createJsonClient, type JsonClient, type Reply } from '../../bench/soak/http.ts'
import { startRelay, type Relay } from '../../bench/soak/relay.ts'
import {
  createDatabase,
  newSecrets,
  startServer,
  type ServerProcess,
} from '../../bench/soak/servers.ts'
import { ENGINES } from '../helpers/stores.ts'

/** Sends until `accept` holds (every 250 ms, `ms` at most); returns the last reply. */
async function until(send: () => Promise<Reply>, accept: (r: Reply) => boolean, ms: number) {
  const end = Date.now() + ms
  let last = await send()
  while (!accept(last) && Date.now() < end) {
    await new Promise((r) => setTimeout(r, 250))
    last = await send()
  }
  return last
}

describe.runIf(ENGINES.includes('postgres'))('PostgreSQL unreachable under a server', () => {
  let server: ServerProcess | undefined
  let relay: Relay | undefined
  let drop: (() => Promise<void>) | undefined
  let http: JsonClient | undefined

  afterAll(async () => {
    http?.close()
    await server?.kill('SIGTERM')
    await relay?.close().catch(() => {})
    await drop?.()
  })

  it('answers 503 UNAVAILABLE while it is down and recovers by itself', async () => {
    const db = await createDatabase()
    drop = db.drop
    relay = await startRelay(db.url)
    const secrets = newSecrets()
    server = await startServer(secrets, relay.urlFor(db.url))
    const c = createJsonClient(secrets.token)
    http = c
    const base = server.url
    const vars = '/v1/projects/app/environments/production/vars'
    const put = (key: string, value: string) =>
      c.send(base, 'PUT', vars, { key, value, kind: 'config' })
    expect((await c.send(base, 'POST', '/v1/projects', { slug: 'app' })).status).toBe(201)
    expect((await put('BEFORE', 'one')).status).toBe(200)

    await relay.cut()
    const down = await until(
      () => c.send(base, 'GET', vars),
      (r) => r.status === 503,
      10_000,
    )
    expect(down.status).toBe(503)
    expect((down.body as { code?: string }).code).toBe('UNAVAILABLE')
    expect((await put('DURING', 'x')).status).toBe(503)
    expect((await c.send(base, 'GET', '/readyz')).status).toBe(503)
    expect((await c.send(base, 'GET', '/healthz')).status).toBe(200)

    await relay.restore()
    const after = await until(
      () => put('AFTER', 'two'),
      (r) => r.status === 200,
      15_000,
    )
    expect(after.status).toBe(200)
    expect((await c.send(base, 'GET', '/readyz')).status).toBe(200)
    const list = await c.send(base, 'GET', vars)
    const values = new Map(
      (list.body as { vars: { key: string; value?: string }[] }).vars.map((v) => [v.key, v.value]),
    )
    expect(values.get('BEFORE')).toBe('one')
    expect(values.get('AFTER')).toBe('two')
    expect(values.has('DURING')).toBe(false)
  })
})
