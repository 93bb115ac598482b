// Three real `tresor server` replicas started at the same moment on an empty PostgreSQL database
// (what `docker compose up --scale tresor=3` does): concurrent migrations wait on the advisory
// lock, and the first-start bootstrap makes exactly one workspace whose owner token every
// replica accepts — with a shared TRESOR_BOOTSTRAP_TOKEN, and without one (then exactly one
// replica writes the owner token it made). Before the fixes, the replicas that lost the race
// exited with a CONFLICT, and without a bootstrap token each made a workspace of its own.
import { existsSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
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

  const counts = async (url: string) => {
    const client = new pg.Client({ connectionString: url })
    await client.connect()
    const n = async (table: string) =>
      (await client.query<{ n: string }>(`select count(*) as n from ${table}`)).rows[0]?.n
    const out = { workspaces: await n('workspaces'), tokens: await n('tokens') }
    await client.end()
    return out
  }
  const drops: Array<() => Promise<void>> = []
  afterAll(async () => {
    await Promise.all(servers.map((s) => s.kill('SIGTERM')))
    for (const d of drops) await d()
  })

  it('without a bootstrap token: one workspace, and exactly one replica hands out its owner token', async () => {
    const db = await createDatabase()
    drops.push(db.drop)
    const { rootKey } = newSecrets()
    const started = await Promise.allSettled([1, 2, 3].map(() => startServer({ rootKey }, db.url)))
    const mine: ServerProcess[] = []
    for (const s of started) if (s.status === 'fulfilled') mine.push(s.value)
    servers.push(...mine)
    expect(started.map((s) => s.status)).toEqual(['fulfilled', 'fulfilled', 'fulfilled'])
    expect(await counts(db.url)).toEqual({ workspaces: '1', tokens: '1' })
    const files = mine.map((s) => join(s.dataDir, 'owner-token')).filter((f) => existsSync(f))
    expect(files).toHaveLength(1)
    const token = readFileSync(files[0] ?? '', 'utf8').trim()
    const http = createJsonClient(token)
    for (const s of mine) {
      const res = await http.send(s.url, 'GET', '/v1/whoami')
      expect(res.status).toBe(200)
    }
    http.close()
  })

  it('all come up on one workspace and accept the bootstrap token', async () => {
    const db = await createDatabase()
    drops.push(db.drop)
    const secrets = newSecrets()
    const started = await Promise.allSettled([1, 2, 3].map(() => startServer(secrets, db.url)))
    const mine: ServerProcess[] = []
    for (const s of started) if (s.status === 'fulfilled') mine.push(s.value)
    servers.push(...mine)
    expect(started.map((s) => s.status)).toEqual(['fulfilled', 'fulfilled', 'fulfilled'])
    expect(await counts(db.url)).toEqual({ workspaces: '1', tokens: '1' })
    expect(mine.filter((s) => existsSync(join(s.dataDir, 'owner-token')))).toEqual([])

    const http = createJsonClient(secrets.token)
    const created = await http.send(mine[0]?.url ?? '', 'POST', '/v1/projects', { slug: 'one' })
    expect(created.status).toBe(201)
    for (const s of mine) {
      const res = await http.send(s.url, 'GET', '/v1/projects')
      expect(res.status).toBe(200)
      expect((res.body as { projects: { slug: string }[] }).projects.map((p) => p.slug)).toEqual([
        'one',
      ])
    }
    http.close()
  })
})
