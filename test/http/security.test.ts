// The shared security suite, run over EVERY route the server registers (enumerated from the
// Fastify instance, so a new route is attacked without anyone listing it): no token, bad token,
// expired and revoked tokens are 401; another workspace gets 404; a read-only token 403 on every
// write; an environment-restricted token 404/403 elsewhere; no body ever carries the secret.
import type { LightMyRequestResponse } from 'fastify'
import { beforeAll, expect, it } from 'vitest'
import { call, type AppUnderTest, type RouteInfo } from './helpers/app.ts'
import { describeApp, TEXT } from './helpers/fixtures.ts'
import { isWrite, sampleOf, urlOf, type Ids } from './helpers/route-samples.ts'
import { buildWorld, type World } from './helpers/security-world.ts'

const OPENAPI: RouteInfo[] = [
  { method: 'GET', url: '/v1/openapi.json', public: true, hidden: true },
  { method: 'HEAD', url: '/v1/openapi.json', public: true, hidden: true },
]

describeApp('security of every route', (t) => {
  let w: World
  let routes: RouteInfo[]
  const bodies: { route: string; by: string; url: string; body: string }[] = []

  async function send(
    route: RouteInfo,
    token: string | null,
    ids: Ids,
    by: string,
    prepare = true,
  ): Promise<LightMyRequestResponse> {
    const sample = sampleOf(route)
    if (sample === undefined) throw new Error(`no sample request for ${route.method} ${route.url}`)
    const filled = { ...ids, ...(prepare ? await sample.prepare?.(t(), ids) : {}) }
    const url = urlOf(route, sample, filled)
    const res = await call(t(), route.method, url, {
      token,
      ...(sample.body === undefined ? {} : { body: sample.body() }),
      ...(sample.text === undefined ? {} : { body: sample.text, headers: TEXT }),
    })
    bodies.push({ route: `${route.method} ${route.url}`, by, url, body: res.body })
    return res
  }

  /** Calls every route with `token` and returns `route → status` for those `pick` keeps. */
  async function statuses(
    token: string | null,
    by: string,
    pick: (r: RouteInfo) => Ids | undefined,
    prepare = true,
  ): Promise<Record<string, number>> {
    const out: Record<string, number> = {}
    for (const route of routes) {
      const ids = pick(route)
      if (ids === undefined) continue
      const res = await send(route, token, ids, by, prepare)
      out[`${route.method} ${route.url}`] = res.statusCode
    }
    return out
  }

  const every = (expected: number, keys: Record<string, number>) =>
    Object.fromEntries(Object.keys(keys).map((k) => [k, expected]))

  beforeAll(async () => {
    w = await buildWorld(t())
    routes = [...OPENAPI, ...t().routes]
  })

  it('knows every route: each has a sample request, and the list matches the router', () => {
    expect(
      routes.filter((r) => sampleOf(r) === undefined).map((r) => `${r.method} ${r.url}`),
    ).toEqual([])
    const tree = t().app.printRoutes({ commonPrefix: false })
    const methods = [...tree.matchAll(/\(([A-Z, ]+)\)/g)].flatMap((m) => (m[1] ?? '').split(', '))
    expect(methods.length).toBe(routes.length)
    expect(routes.length).toBeGreaterThan(100)
  })

  it('answers the public routes without a token and every other route 401 without one', async () => {
    const got = await statuses(null, 'none', () => w.ids)
    const expected = Object.fromEntries(
      routes.map((r) => [`${r.method} ${r.url}`, r.public ? (sampleOf(r)?.status ?? 200) : 401]),
    )
    expect(got).toEqual(expected)
  })

  it.each([
    ['an unknown well-formed token', 'tresor_pat_0000000000000000000000000000000000000000'],
    ['garbage', 'not a token'],
    ['an empty bearer', ''],
  ])('refuses %s with 401 on every route', async (_name, token) => {
    const got = await statuses(token, 'bad', (r) => (r.public ? undefined : w.ids))
    expect(got).toEqual(every(401, got))
  })

  it('refuses an expired token and a revoked token with 401 on every route', async () => {
    t().clock.offsetMs = 2 * 3_600_000
    try {
      const expired = await statuses(w.tokens.expired, 'expired', (r) =>
        r.public ? undefined : w.ids,
      )
      expect(expired).toEqual(every(401, expired))
    } finally {
      t().clock.offsetMs = 0
    }
    const revoked = await statuses(w.tokens.revoked, 'revoked', (r) =>
      r.public ? undefined : w.ids,
    )
    expect(revoked).toEqual(every(401, revoked))
  })

  it("answers another workspace's token 404 for each of this workspace's resources, and shows it none", async () => {
    const named = (r: RouteInfo) =>
      /:(project|id)\b/.test(r.url) || sampleOf(r)?.query !== undefined
    const got = await statuses(w.tokens.other, 'other', (r) =>
      !r.public && named(r) ? w.ids : undefined,
    )
    expect(got).toEqual(every(404, got))
    const own = await statuses(w.tokens.other, 'other', (r) =>
      r.public || named(r) ? undefined : w.ids,
    )
    expect(Object.values(own).every((s) => s < 500)).toBe(true)
    // A refusal may echo the id the caller sent; nothing else of this workspace may show.
    const shown = bodies
      .filter((b) => b.by === 'other')
      .flatMap((b) => w.identifiers.filter((id) => b.body.includes(id) && !b.url.includes(id)))
    expect(shown).toEqual([])
  })

  it('refuses every write of a read-only token with 403 and changes nothing', async () => {
    const before = await snapshot(t(), w)
    // Signing out of (or refreshing) one's own session needs no scope: a viewer must be able to
    // sign out. A bearer token has no session to end, so those answer 404 and change nothing.
    const ownSession = (r: RouteInfo) => r.url.startsWith('/v1/session')
    const got = await statuses(
      w.tokens.readOnly,
      'readOnly',
      (r) => (isWrite(r) && !r.public && !ownSession(r) ? w.ids : undefined),
      false,
    )
    expect(got).toEqual(every(403, got))
    const session = await statuses(
      w.tokens.readOnly,
      'readOnly',
      (r) => (isWrite(r) && !r.public && ownSession(r) ? w.ids : undefined),
      false,
    )
    expect(Object.keys(session).length).toBeGreaterThan(0)
    expect(session).toEqual(every(404, session))
    expect(await snapshot(t(), w)).toEqual(before)
  })

  it('refuses every write signed in by session cookie without the CSRF header (403), changing nothing', async () => {
    const signIn = await call(t(), 'POST', '/v1/session', {
      token: null,
      body: { token: t().ownerToken },
    })
    expect(signIn.statusCode).toBe(201)
    const secret = /^tresor_session=([^;]+);/.exec(String(signIn.headers['set-cookie']))?.[1]
    expect(secret).toMatch(/^tresor_ses_/)
    const cookie = { cookie: `tresor_session=${secret}` }
    const before = await snapshot(t(), w)
    const got: Record<string, number> = {}
    for (const route of routes.filter((r) => isWrite(r) && !r.public)) {
      const sample = sampleOf(route)
      if (sample === undefined) throw new Error(`no sample for ${route.method} ${route.url}`)
      const res = await call(t(), route.method, urlOf(route, sample, w.ids), {
        token: null,
        ...(sample.body === undefined ? {} : { body: sample.body() }),
        ...(sample.text === undefined ? {} : { body: sample.text }),
        headers: { ...cookie, ...(sample.text === undefined ? {} : TEXT) },
      })
      got[`${route.method} ${route.url}`] = res.statusCode
    }
    expect(Object.keys(got).length).toBeGreaterThan(40)
    expect(got).toEqual(every(403, got))
    expect(await snapshot(t(), w)).toEqual(before)
    // The same cookie reads without the header, and writes with it: the 403s were the CSRF check.
    expect(
      (await call(t(), 'GET', '/v1/whoami', { token: null, headers: cookie })).statusCode,
    ).toBe(200)
    const session = await call(t(), 'GET', '/v1/session', { token: null, headers: cookie })
    const csrf = session.json<{ csrfToken: string }>().csrfToken
    const out = await call(t(), 'DELETE', '/v1/session', {
      token: null,
      headers: { ...cookie, 'x-tresor-csrf': csrf },
    })
    expect(out.statusCode).toBe(204)
  })

  it('keeps an environment-restricted token inside its environment: 404 elsewhere, 403 on project writes', async () => {
    const envRoutes = await statuses(w.tokens.restricted, 'restricted', (r) =>
      r.url.includes(':env') ? w.ids : undefined,
    )
    expect(envRoutes).toEqual(every(404, envRoutes))
    const projectLevel = (r: RouteInfo) => r.url.includes(':project') && !r.url.includes(':env')
    const otherProject = await statuses(w.tokens.restricted, 'restricted', (r) =>
      projectLevel(r) ? { ...w.ids, project: w.q.id } : undefined,
    )
    expect(otherProject).toEqual(every(404, otherProject))
    // Without `prepare`: a DELETE must be refused on this very project, not a throwaway one.
    const writes = await statuses(
      w.tokens.restricted,
      'restricted',
      (r) => (projectLevel(r) && isWrite(r) && !r.url.endsWith('/reveal') ? w.ids : undefined),
      false,
    )
    expect(writes).toEqual(every(403, writes))
  })

  it('never puts the secret in a body, except the audited reveal and a deploy token’s release env', async () => {
    const order = (r: RouteInfo) => (r.method === 'DELETE' ? 2 : isWrite(r) ? 1 : 0)
    const sweep = [...routes].sort((a, b) => order(a) - order(b))
    for (const route of sweep) {
      if (sampleOf(route)?.streaming) continue
      const res = await send(route, t().ownerToken, w.sweepIds, 'owner')
      const want = sampleOf(route)?.status
      const good = want === undefined ? res.statusCode < 300 : res.statusCode === want
      expect([`${route.method} ${route.url}`, good, res.body]).toEqual([
        `${route.method} ${route.url}`,
        true,
        res.body,
      ])
    }
    const allowed = (b: { route: string; by: string }) =>
      b.by === 'owner' && /(\/reveal|\/releases\/:release\/env)$/.test(b.route)
    const leaks = bodies.filter((b) => b.body.includes(w.secret) && !allowed(b))
    expect(leaks.map((b) => `${b.by} ${b.route}`)).toEqual([])
    const reveals = bodies.filter((b) => allowed(b) && b.route.endsWith('/reveal'))
    expect(reveals.map((b) => JSON.parse(b.body) as unknown)).toEqual(
      reveals.map(() => ({ key: 'SECRET_KEY', value: w.secret })),
    )
  })
})

/** What a refused write must not have changed: documents, projects, tokens, members. */
async function snapshot(t: AppUnderTest, w: World) {
  const get = async (url: string) => (await call(t, 'GET', url)).body
  const p = `/v1/projects/${w.p.id}`
  return {
    staging: await get(`${p}/environments/staging/document`),
    production: await get(`${p}/environments/production/document`),
    shared: await get(`${p}/document`),
    project: await get(p),
    envs: await get(`${p}/environments`),
    projects: await get('/v1/projects'),
    tokens: (await get('/v1/tokens')).replace(/"lastUsedAt":(null|"[^"]*")/g, ''),
    members: await get('/v1/members'),
    releases: await get(`${p}/environments/production/releases`),
  }
}
