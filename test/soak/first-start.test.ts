// Three real `tresor server` replicas started at the same moment on an empty PostgreSQL database
// (what `docker compose up --scale tresor=3` does): concurrent migrations wait on the advisory
// lock, and the first-start bootstrap makes exactly one workspace whose owner token every
// replica accepts. Before the fix, the replicas that lost the race exited with a CONFLICT.
import pg from 'pg'
import { afterAll, describe, expect, it } from 'vitest'
import { createJsonClient } from '../../bench/soak/http.ts'
import {
  createDatabase,
  newSecrets,
  startServer,
  type ServerProcess,
} from '../../bench/soak/servers.ts'
import { ENGINES } from '../helpers/stores.ts'

describe.runIf(ENGINES.includes('postgres'))('replicas starting at once on PostgreSQL', () => {
  const servers: ServerProcess[] = []
  let drop: (() => Promise<void>) | undefined

  afterAll(async () => {
    await Promise.all(servers.map((s) => s.kill('SIGTERM')))
    await drop?.()
  })

  it('all come up on one workspace and accept the bootstrap token', async () => {
    const db = await createDatabase()
    drop = db.drop
    const secrets = newSecrets()
    const started = await Promise.allSettled([1, 2, 3].map(() => startServer(secrets, db.url)))
    for (const s of started) if (s.status === 'fulfilled') servers.push(s.value)
    expect(started.map((s) => s.status)).toEqual(['fulfilled', 'fulfilled', 'fulfilled'])

    const client = new pg.Client({ connectionString: db.url })
    await client.connect()
    const rows = await client.query<{ n: string }>('select count(*) as n from workspaces')
    const tokens = await client.query<{ n: string }>('select count(*) as n from tokens')
    await client.end()
    expect(rows.rows[0]?.n).toBe('1')
    expect(tokens.rows[0]?.n).toBe('1')

    const http = createJsonClient(secrets.token)
    const created = await http.send(servers[0]?.url ?? '', 'POST', '/v1/projects', { slug: 'one' })
    expect(created.status).toBe(201)
    for (const s of servers) {
      const res = await http.send(s.url, 'GET', '/v1/projects')
      expect(res.status).toBe(200)
      expect((res.body as { projects: { slug: string }[] }).projects.map((p) => p.slug)).toEqual([
        'one',
      ])
    }
    http.close()
  })
})
