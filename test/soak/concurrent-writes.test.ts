// The fast version of the soak's first finding: writes to different environments of one
// workspace, reveals and releases at the same time, on PostgreSQL. Each writer locks its
// environment, then the workspace's audit head, while foreign-key checks of the other writers'
// inserts hold KEY SHARE locks on those rows: with FOR UPDATE row locks this deadlocked (409s).
// And its second: a deploy of an environment under steady writes must not give up (it did, with
// 409, while it required the environment unchanged between its read and its commit).
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { ENGINES } from '../helpers/stores.ts'
import { call, ok, startApp, type AppUnderTest } from '../http/helpers/app.ts'

const ENVS = ['e0', 'e1', 'e2', 'e3', 'e4', 'e5']
const path = (env: string) => `/v1/projects/w/environments/${env}`

describe.runIf(ENGINES.includes('postgres'))('one workspace written at once (PostgreSQL)', () => {
  let t: AppUnderTest

  beforeAll(async () => {
    t = await startApp({ engine: 'postgres', logLevel: 'silent' })
    await ok(t, 'POST', '/v1/projects', { body: { slug: 'w', environments: ENVS }, status: 201 })
    for (const env of ENVS) {
      await ok(t, 'PATCH', `${path(env)}/vars`, { body: { env: { SEED: `seed-${env}` } } })
    }
  })
  afterAll(async () => t.close())

  it('merges, reveals and releases in parallel all succeed, and every merge is there', async () => {
    const written = new Map<string, string>()
    const statuses: string[] = []
    for (let wave = 0; wave < 3; wave++) {
      const requests = Array.from({ length: 48 }, (_, i) => {
        const env = ENVS[i % ENVS.length] ?? 'e0'
        if (i % 4 === 1) return call(t, 'POST', `${path(env)}/vars/SEED/reveal`)
        if (i % 8 === 3) return call(t, 'POST', `${path(env)}/releases`, { body: {} })
        const key = `K_${wave}_${i}`
        written.set(`${env}/${key}`, `v${wave}-${i}`)
        return call(t, 'PATCH', `${path(env)}/vars`, { body: { env: { [key]: `v${wave}-${i}` } } })
      })
      for (const res of await Promise.all(requests)) {
        if (res.statusCode >= 300) statuses.push(`${res.statusCode} ${res.body.slice(0, 120)}`)
      }
    }
    expect(statuses).toEqual([])
    for (const env of ENVS) {
      const list = await ok<{ vars: { key: string; value?: string }[] }>(
        t,
        'GET',
        `${path(env)}/vars`,
      )
      const got = new Map(list.vars.map((v) => [`${env}/${v.key}`, v.value]))
      for (const [k, v] of written) if (k.startsWith(`${env}/`)) expect(got.get(k)).toBe(v)
    }
    const audit = await ok<{ ok: boolean }>(t, 'GET', '/v1/audit/verify')
    expect(audit.ok).toBe(true)
  })

  it('deploys an environment written without pause, with every write acknowledged before', async () => {
    let writing = true
    let acknowledged = 0
    const writers = [0, 1].map(async (w) => {
      for (let n = 0; writing; n++) {
        const res = await call(t, 'PATCH', `${path('e0')}/vars`, {
          body: { env: { [`BUSY_${w}`]: String(n) } },
        })
        expect(res.statusCode).toBe(200)
        acknowledged = Math.max(acknowledged, res.json<{ revision: number }>().revision)
      }
    })
    try {
      for (let i = 0; i < 6; i++) {
        const before = acknowledged
        const res = await call(t, 'POST', `${path('e0')}/releases`, { body: {} })
        expect(res.statusCode).toBe(201)
        expect(res.json<{ revision: number }>().revision).toBeGreaterThanOrEqual(before)
      }
    } finally {
      writing = false
      await Promise.all(writers)
    }
  })
})
