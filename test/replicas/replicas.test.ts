// Replicas on one PostgreSQL (PRODUCT.md §4): a write through one server is read, and heard on
// the event stream, through another at once; a killed database connection is survived.
import { randomBytes } from 'node:crypto'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { buildServer, type TresorApp } from '../../src/http/build-server.ts'
import { wire, type Wired } from '../../src/main/wire.ts'
import pg from 'pg'
import { ENGINES, TEST_POSTGRES_URL } from '../helpers/stores.ts'
import { ok, startApp, type AppUnderTest } from '../http/helpers/app.ts'

const onPostgres = ENGINES.includes('postgres')

describe.runIf(onPostgres)('two replicas on one PostgreSQL', () => {
  let a: AppUnderTest
  let b: { app: TresorApp; wired: Wired }
  // Replica B's connections carry their own application name, so the fault test kills only them
  // (other test files may be using the same database at the same time).
  const appName = `tresor_replica_${randomBytes(4).toString('hex')}`
  const E = '/v1/projects/api/environments/production'

  beforeAll(async () => {
    a = await startApp({ engine: 'postgres', logLevel: 'silent' })
    const wired = await wire(
      {
        dataDir: a.dataDir,
        databaseUrl: `${TEST_POSTGRES_URL}${TEST_POSTGRES_URL.includes('?') ? '&' : '?'}application_name=${appName}`,
        rootKey: a.rootKey,
        bootstrapToken: a.ownerToken,
      },
      undefined,
      { schema: a.schema as string, poolSize: 4 },
    )
    const app = buildServer({
      version: 't',
      log: { level: 'silent' },
      auth: { authenticate: wired.authenticate },
      bodyLimit: 1 << 20,
      routes: wired.routes,
    })
    app.addHook('onClose', async () => wired.close())
    await app.ready()
    b = { app, wired }
    await ok(a, 'POST', '/v1/projects', { body: { slug: 'api' }, status: 201 })
  })
  afterAll(async () => {
    await b.app.close()
    await a.close()
  })

  const onB = (method: string, url: string, payload?: object) =>
    b.app.inject({
      method: method as 'GET',
      url,
      headers: { authorization: `Bearer ${a.ownerToken}` },
      ...(payload ? { payload } : {}),
    })

  it('sees a write made on the other replica at once, and hears its event', async () => {
    const workspaceId = (await a.store.workspaces.list())[0]?.id ?? ''
    const heard = new Promise<{ type: string; data: Record<string, unknown> }>((resolve) => {
      const stop = b.wired.events.subscribe(workspaceId, {}, (event) => {
        stop()
        resolve(event)
      })
    })
    await new Promise((r) => setTimeout(r, 200)) // the LISTEN connection of B is up
    await ok(a, 'PUT', `${E}/vars`, { body: { key: 'FEATURE_X', value: 'on', kind: 'config' } })
    const res = await onB('GET', `${E}/vars`)
    expect(res.statusCode).toBe(200)
    expect(
      res
        .json<{ vars: Array<{ key: string; value?: string }> }>()
        .vars.find((v) => v.key === 'FEATURE_X')?.value,
    ).toBe('on')
    const event = await heard
    expect(event.type).toBe('variables.changed')
    expect(event.data['keys']).toEqual(['FEATURE_X'])
  })

  it('concurrent merges through both replicas all land', async () => {
    const writes = Array.from({ length: 20 }, (_, i) => {
      const body = { env: { [`K${i}`]: `v${i}` } }
      return i % 2 === 0 ? ok(a, 'PATCH', `${E}/vars`, { body }) : onB('PATCH', `${E}/vars`, body)
    })
    await Promise.all(writes)
    const list = await ok<{ vars: Array<{ key: string }> }>(a, 'GET', `${E}/vars`)
    for (let i = 0; i < 20; i++) expect(list.vars.some((v) => v.key === `K${i}`)).toBe(true)
  })

  it('survives its database connections being killed', async () => {
    const canary = randomBytes(8).toString('hex')
    const admin = new pg.Client({ connectionString: TEST_POSTGRES_URL })
    await admin.connect()
    const killed = await admin.query(
      'select pg_terminate_backend(pid) from pg_stat_activity where application_name = $1',
      [appName],
    )
    await admin.end()
    expect(killed.rowCount).toBeGreaterThan(0)
    let status = 0
    for (let i = 0; i < 20 && status !== 200; i++) {
      status = (await onB('PUT', `${E}/vars`, { key: 'AFTER_KILL', value: canary, kind: 'config' }))
        .statusCode
      if (status !== 200) await new Promise((r) => setTimeout(r, 250))
    }
    expect(status).toBe(200)
    const list = await ok<{ vars: Array<{ key: string; value?: string }> }>(a, 'GET', `${E}/vars`)
    expect(list.vars.find((v) => v.key === 'AFTER_KILL')?.value).toBe(canary)
  })
})
