// Secret requests over HTTP on every engine under test: the one-time link, its page and its two
// public calls; single use under a race, expiry, the creator's rights, audit, and no leak of
// the value or the link token anywhere (bodies, logs, audit rows, the requests table).
import { beforeAll, expect, it } from 'vitest'
import { call, ok, type AppUnderTest } from './helpers/app.ts'
import {
  canaryValue,
  describeApp,
  expectProblem,
  mintToken,
  newProject,
  type TestProject,
} from './helpers/fixtures.ts'

interface Created {
  id: string
  url: string
  key: string
  status: string
  expiresAt: string
  createdBy: string
}

const tokenOf = (url: string) => new URL(url).hash.slice(1)

async function request(t: AppUnderTest, p: TestProject, body: object, token?: string) {
  const base = `/v1/projects/${p.slug}/environments/staging/secret-requests`
  return ok<Created>(t, 'POST', base, { body, status: 201, ...(token ? { token } : {}) })
}

const submit = (t: AppUnderTest, linkToken: string, value: string) =>
  call(t, 'POST', '/v1/secret-requests/fulfill', {
    token: null,
    body: { token: linkToken, value },
  })

const reveal = (t: AppUnderTest, p: TestProject, key: string) =>
  ok<{ value: string }>(t, 'POST', `/v1/projects/${p.slug}/environments/staging/vars/${key}/reveal`)

describeApp('secret requests', (t) => {
  let p: TestProject
  const seen: string[] = []
  beforeAll(async () => {
    p = await newProject(t(), 'sr')
  })

  it('create answers 201 with an sreq id, a /s#token link of 256 bits, pending, 24 h expiry', async () => {
    const before = Date.now()
    const out = await request(t(), p, { key: 'STRIPE_KEY', description: 'Live Stripe key' })
    expect(out.id).toMatch(/^sreq_[0-9a-z]{16}$/)
    expect(out.url).toMatch(/^http:\/\/localhost(:80)?\/s#[A-Za-z0-9_-]{43}$/)
    expect({ key: out.key, status: out.status }).toEqual({ key: 'STRIPE_KEY', status: 'pending' })
    const ttl = Date.parse(out.expiresAt) - before
    expect(ttl).toBeGreaterThan(24 * 3600_000 - 5000)
    expect(ttl).toBeLessThanOrEqual(24 * 3600_000 + 5000)
    // Only the HMAC is stored: the token is in no column of the table.
    const rows = await t().sql('select * from secret_requests')
    expect(JSON.stringify(rows)).not.toContain(tokenOf(out.url))
    seen.push(tokenOf(out.url))
  })

  it('the page is standalone: HTML with strict CSP, no-store, no-referrer, no inline script or style', async () => {
    const res = await call(t(), 'GET', '/s', { token: null })
    expect(res.statusCode).toBe(200)
    expect(res.headers['content-type']).toBe('text/html; charset=utf-8')
    expect(res.headers['content-security-policy']).toBe(
      "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; img-src 'none'; form-action 'none'; frame-ancestors 'none'; base-uri 'none'",
    )
    expect(res.headers['cache-control']).toBe('no-store')
    expect(res.headers['referrer-policy']).toBe('no-referrer')
    expect(res.headers['x-frame-options']).toBe('DENY')
    expect(res.body).toContain('<input id="value" name="value" type="password" autocomplete="off"')
    expect(res.body).toContain('<script src="/s/page.js" defer></script>')
    expect(res.body.match(/<script[^>]*>[^<]+<\/script>/g)).toBeNull()
    expect(res.body).not.toMatch(/<style|style=|https?:\/\/|\son[a-z]+=/i)
    for (const [path, type] of [
      ['/s/page.js', 'text/javascript; charset=utf-8'],
      ['/s/page.css', 'text/css; charset=utf-8'],
    ] as const) {
      const asset = await call(t(), 'GET', path, { token: null })
      expect([asset.statusCode, asset.headers['content-type']]).toEqual([200, type])
      expect(asset.headers['cache-control']).toBe('no-store')
      expect(asset.body).not.toMatch(/https?:\/\//)
    }
  })

  it('inspect shows key, description, project, environment and expiry; status never shows a value', async () => {
    const out = await request(t(), p, { key: 'API_TOKEN', description: 'for the mailer' })
    const info = await ok(t(), 'POST', '/v1/secret-requests/inspect', {
      token: null,
      body: { token: tokenOf(out.url) },
    })
    expect(info).toEqual({
      key: 'API_TOKEN',
      description: 'for the mailer',
      project: p.slug,
      environment: 'staging',
      expiresAt: out.expiresAt,
    })
  })

  it('fulfil stores the value as a secret as the creator, once; status fulfilled; reuse refused and audited', async () => {
    const svc = await mintToken(t(), { scopes: ['read', 'write'], name: 'agent', project: p.slug })
    const out = await request(t(), p, { key: 'DB_PASSWORD' }, svc.token)
    const secret = canaryValue()
    const res = await submit(t(), tokenOf(out.url), secret)
    expect(res.statusCode).toBe(200)
    expect(res.json()).toEqual({
      key: 'DB_PASSWORD',
      project: p.slug,
      environment: 'staging',
      status: 'fulfilled',
      redeployRequired: true,
    })
    expect((await reveal(t(), p, 'DB_PASSWORD')).value).toBe(secret)
    const list = await ok<{ vars: { key: string; kind: string }[] }>(
      t(),
      'GET',
      `/v1/projects/${p.slug}/environments/staging/vars`,
    )
    expect(list.vars.find((v) => v.key === 'DB_PASSWORD')?.kind).toBe('secret')
    const status = await ok<Created & { fulfilledAt: string }>(
      t(),
      'GET',
      `/v1/projects/${p.slug}/environments/staging/secret-requests/${out.id}`,
    )
    expect(status).toMatchObject({ id: out.id, status: 'fulfilled', createdBy: svc.id })
    expect(JSON.stringify(status)).not.toContain(secret.slice(0, 8))

    const again = await submit(t(), tokenOf(out.url), 'another-value')
    expect(expectProblem(again, 410, 'GONE').detail).toMatch(/already used/)
    expect((await reveal(t(), p, 'DB_PASSWORD')).value).toBe(secret)

    const [ws] = await t().store.workspaces.list()
    const events = await t().store.auditEvents.list(ws?.id ?? '', { limit: 20 })
    const of = (action: string) =>
      events.find((e) => e.action === action && e.keys[0] === 'DB_PASSWORD')
    expect(of('secret_request.fulfill')).toMatchObject({
      actorId: svc.id,
      actorKind: 'token',
      detail: { via: 'secret-request', secretRequestId: out.id, kind: 'secret' },
    })
    expect(of('vars.set')).toMatchObject({ actorId: svc.id, detail: { kind: 'secret' } })
    expect(of('secret_request.reuse')).toMatchObject({ outcome: 'denied' })
    expect(JSON.stringify(events)).not.toContain(secret)
    seen.push(secret, tokenOf(out.url))
  })

  it('fifty racing submissions of one link store exactly one value; the others get 410', async () => {
    const out = await request(t(), p, { key: 'RACE_SECRET' })
    const values = Array.from({ length: 50 }, (_, i) => `value-${i}-${canaryValue(20)}`)
    const answers = await Promise.all(values.map((v) => submit(t(), tokenOf(out.url), v)))
    const won = answers.flatMap((a, i) => (a.statusCode === 200 ? [values[i]] : []))
    expect(won).toHaveLength(1)
    expect(answers.filter((a) => a.statusCode === 410)).toHaveLength(49)
    expect((await reveal(t(), p, 'RACE_SECRET')).value).toBe(won[0])
  })

  it('an expired link is refused on inspect and fulfil, writes nothing, and its status is expired', async () => {
    const out = await request(t(), p, { key: 'LATE_SECRET', ttl: '1h' })
    t().clock.offsetMs += 2 * 3600_000
    try {
      const inspect = await call(t(), 'POST', '/v1/secret-requests/inspect', {
        token: null,
        body: { token: tokenOf(out.url) },
      })
      expect(expectProblem(inspect, 410, 'GONE').detail).toMatch(/expired/)
      expectProblem(await submit(t(), tokenOf(out.url), 'too-late'), 410, 'GONE')
      const status = await ok<Created>(
        t(),
        'GET',
        `/v1/projects/${p.slug}/environments/staging/secret-requests/${out.id}`,
      )
      expect(status.status).toBe('expired')
    } finally {
      t().clock.offsetMs -= 2 * 3600_000
    }
    const miss = await call(
      t(),
      'POST',
      `/v1/projects/${p.slug}/environments/staging/vars/LATE_SECRET/reveal`,
    )
    expectProblem(miss, 404, 'NOT_FOUND')
  })

  it('a link dies with its creator token: revoked creator → 410, nothing written', async () => {
    const svc = await mintToken(t(), { scopes: ['read', 'write'], name: 'short-lived' })
    const out = await request(t(), p, { key: 'ORPHAN_SECRET' }, svc.token)
    await ok(t(), 'DELETE', `/v1/tokens/${svc.id}`)
    const res = await submit(t(), tokenOf(out.url), 'nobody-may-act')
    expect(expectProblem(res, 410, 'GONE').detail).toMatch(/lost access/)
    const miss = await call(
      t(),
      'POST',
      `/v1/projects/${p.slug}/environments/staging/vars/ORPHAN_SECRET/reveal`,
    )
    expectProblem(miss, 404, 'NOT_FOUND')
  })

  it('creating needs write on the environment; reserved keys and long TTLs are refused by name', async () => {
    const reader = await mintToken(t(), { scopes: ['read'], name: 'reader' })
    const base = `/v1/projects/${p.slug}/environments/staging/secret-requests`
    const body = { key: 'X_SECRET' }
    expectProblem(await call(t(), 'POST', base, { token: reader.token, body }), 403, 'FORBIDDEN')
    const other = await mintToken(t(), {
      scopes: ['read', 'write'],
      project: p.slug,
      environments: ['production'],
    })
    expectProblem(await call(t(), 'POST', base, { token: other.token, body }), 404, 'NOT_FOUND')
    const reserved = await call(t(), 'POST', base, { body: { key: 'PORT' } })
    expect(expectProblem(reserved, 422, 'RESERVED_VARIABLE').errors?.[0]?.key).toBe('PORT')
    const long = await call(t(), 'POST', base, { body: { key: 'A_KEY', ttl: '8d' } })
    expect(expectProblem(long, 400, 'VALIDATION_FAILED').errors?.[0]?.field).toBe('ttl')
    expectProblem(await call(t(), 'POST', base, { token: null, body }), 401, 'UNAUTHENTICATED')
  })

  it('bad values are refused without echoing them; a wrong token is 404; malformed is 400', async () => {
    const out = await request(t(), p, { key: 'NUL_SECRET' })
    const nul = await submit(t(), tokenOf(out.url), `zz-canary-${canaryValue(12)}\u0000`)
    expect(expectProblem(nul, 400, 'VALIDATION_FAILED').errors?.[0]?.field).toBe('value')
    expect(nul.body).not.toContain('zz-canary')
    expectProblem(await submit(t(), tokenOf(out.url), ''), 400, 'VALIDATION_FAILED')
    const wrong = await submit(t(), 'A'.repeat(43), 'v')
    expect(expectProblem(wrong, 404, 'NOT_FOUND').detail).toMatch(/not valid/)
    expectProblem(await submit(t(), 'short', 'v'), 400, 'VALIDATION_FAILED')
    // Still pending after all that: nothing was consumed.
    const status = await ok<Created>(
      t(),
      'GET',
      `/v1/projects/${p.slug}/environments/staging/secret-requests/${out.id}`,
    )
    expect(status.status).toBe('pending')
  })

  it('wrong link tokens are rate-limited per address: the 11th within a minute is 429', async () => {
    const codes: number[] = []
    for (let i = 0; i < 11; i++) {
      const res = await t().app.inject({
        method: 'POST',
        url: '/v1/secret-requests/inspect',
        remoteAddress: '203.0.113.7',
        payload: { token: `${String(i).padStart(2, '0')}${'B'.repeat(41)}` },
      })
      codes.push(res.statusCode)
    }
    expect(codes).toEqual([...Array<number>(10).fill(404), 429])
  })

  it('no link token or secret value ever reached a log line', () => {
    const logs = t().logs.join('\n')
    expect(seen.length).toBeGreaterThan(2)
    for (const s of seen) expect(logs).not.toContain(s)
  })
})
