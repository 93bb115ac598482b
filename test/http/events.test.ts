// The server-sent event stream over a real socket: a write arrives as `variables.changed` naming
// keys and never a value; filters and token restrictions decide who hears what.
import { afterAll, beforeAll, expect, it } from 'vitest'
import { ok } from './helpers/app.ts'
import {
  describeApp,
  like,
  memberToken,
  mintToken,
  newProject,
  type TestProject,
} from './helpers/fixtures.ts'
import { open, until, type Stream } from './helpers/event-stream.ts'

const SECRET = 'sse-secret-value-abcdefghijkl'

/** The `data:` payloads of the stream's `variables.changed` events, parsed. */
function changes(text: string): Record<string, unknown>[] {
  return text
    .split('\n\n')
    .filter((block) => block.includes('event: variables.changed'))
    .map((block) => JSON.parse(/^data: (.*)$/m.exec(block)?.[1] ?? '{}') as Record<string, unknown>)
}

describeApp('event stream', (t) => {
  let url: string
  let p: TestProject
  const streams: Stream[] = []
  beforeAll(async () => {
    await t().app.listen({ host: '127.0.0.1', port: 0 })
    const address = t().app.server.address()
    url = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`
    p = await newProject(t())
  })
  afterAll(() => {
    for (const s of streams) s.close()
  })

  it('announces a write as variables.changed with keys and revision, never the value', async () => {
    const all = await open(`${url}/v1/events`, t().ownerToken)
    const other = await open(`${url}/v1/events?project=${p.slug}&env=production`, t().ownerToken)
    const limited = await mintToken(t(), {
      scopes: ['read'],
      project: p.slug,
      environments: ['development'],
    })
    const narrow = await open(`${url}/v1/events`, limited.token)
    streams.push(all, other, narrow)
    expect(all.res.statusCode).toBe(200)
    expect(all.res.headers['content-type']).toBe('text/event-stream; charset=utf-8')
    await ok(t(), 'PUT', `/v1/projects/${p.slug}/environments/staging/vars`, {
      body: { key: 'STRIPE_KEY', value: SECRET },
    })
    await until(() => changes(all.text()).length === 1)
    expect(changes(all.text())).toEqual([
      {
        type: 'variables.changed',
        projectId: p.id,
        environmentId: p.envs['staging'],
        at: like(/Z$/),
        data: { revision: 1, keys: ['STRIPE_KEY'], shared: false },
      },
    ])
    // The others filter staging out: a later production write reaches `other` only.
    await ok(t(), 'PUT', `/v1/projects/${p.slug}/environments/production/vars`, {
      body: { key: 'P', value: SECRET },
    })
    await until(() => changes(other.text()).length === 1)
    expect(changes(other.text())[0]).toMatchObject({ data: { keys: ['P'] } })
    expect(changes(narrow.text())).toEqual([])
    await ok(t(), 'PUT', `/v1/projects/${p.slug}/environments/development/vars`, {
      body: { key: 'D', value: SECRET },
    })
    await until(() => changes(narrow.text()).length === 1)
    expect(changes(narrow.text())[0]).toMatchObject({ data: { keys: ['D'] } })
    for (const s of [all, other, narrow]) {
      expect(s.text()).not.toContain(SECRET)
      expect(s.text()).not.toContain(SECRET.slice(0, 5) + '***')
    }
  })

  it('ends the stream of a token once it is revoked, and of a member once disabled, before the next event', async () => {
    const revoked = await mintToken(t(), { scopes: ['read'] })
    const dev = await ok<{ id: string }>(t(), 'POST', '/v1/members', {
      body: { email: `sse-${p.slug}@example.com`, role: 'developer' },
      status: 201,
    })
    const devToken = await memberToken(t(), dev.id, ['read'])
    const a = await open(`${url}/v1/events?project=${p.slug}`, revoked.token)
    const b = await open(`${url}/v1/events?project=${p.slug}`, devToken.token)
    const kept = await open(`${url}/v1/events?project=${p.slug}`, t().ownerToken)
    streams.push(a, b, kept)
    const put = (key: string) =>
      ok(t(), 'PUT', `/v1/projects/${p.slug}/environments/staging/vars`, {
        body: { key, value: SECRET },
      })
    await put('BEFORE')
    await until(() => [a, b, kept].every((s) => changes(s.text()).length === 1))
    await ok(t(), 'DELETE', `/v1/tokens/${revoked.id}`)
    await ok(t(), 'PATCH', `/v1/members/${dev.id}`, { body: { disabled: true } })
    // Past the recheck interval (1 s), the next event makes each stream look its caller up.
    await new Promise((r) => setTimeout(r, 1100))
    await put('AFTER')
    await until(() => changes(kept.text()).length === 2 && a.ended() && b.ended())
    for (const s of [a, b])
      expect(changes(s.text()).map((c) => c['data'])).toEqual([
        expect.objectContaining({ keys: ['BEFORE'] }),
      ])
    expect(kept.ended()).toBe(false)
  })

  it('refuses a stream without a token and a stream of a project the caller cannot see', async () => {
    const none = await open(`${url}/v1/events`, 'not-a-token')
    expect(none.res.statusCode).toBe(401)
    const hidden = await open(`${url}/v1/events?project=prj_0000000000000000`, t().ownerToken)
    expect(hidden.res.statusCode).toBe(404)
    streams.push(none, hidden)
  })
})
