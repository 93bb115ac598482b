import { afterEach, describe, expect, it } from 'vitest'
import { ERROR_CODES } from '../../src/core/errors.ts'
import { ProblemSchema } from '../../src/api/errors.ts'
import {
  bearer,
  boomCanary,
  canary,
  GOOD_TOKEN,
  makeTestApp,
  type TestApp,
} from './helpers/test-app.ts'

let t: TestApp
afterEach(async () => {
  await t.app.close()
})

/** The value at `path` inside parsed JSON, or undefined. */
function dig(value: unknown, ...path: string[]): unknown {
  let at = value
  for (const key of path)
    at = typeof at === 'object' && at !== null ? (at as Record<string, unknown>)[key] : undefined
  return at
}

const PROBLEM_KEYS = ['code', 'detail', 'requestId', 'status', 'title', 'type']

function expectProblem(
  res: { headers: Record<string, unknown>; body: string },
  status: number,
  code: string,
) {
  expect(res.headers['content-type']).toBe('application/problem+json; charset=utf-8')
  const problem = ProblemSchema.parse(JSON.parse(res.body))
  expect(problem).toMatchObject({
    status,
    code,
    type: `/problems/${code.toLowerCase().replaceAll('_', '-')}`,
  })
  expect(problem.requestId).toMatch(/^req_[0-9a-z]{16}$/)
  expect(res.headers['x-request-id']).toBe(problem.requestId)
  expect(res.headers['x-content-type-options']).toBe('nosniff')
  return problem
}

describe('framework routes and request ids', () => {
  it('serves /healthz without a token, with a fresh req_ id that ignores the client one', async () => {
    t = makeTestApp()
    const a = await t.app.inject({ url: '/healthz', headers: { 'x-request-id': 'req_forged' } })
    const b = await t.app.inject({ url: '/healthz' })
    expect(a.statusCode).toBe(200)
    expect(a.json()).toEqual({ ok: true })
    expect(a.headers['x-request-id']).toMatch(/^req_[0-9a-z]{16}$/)
    expect(a.headers['x-request-id']).not.toBe(b.headers['x-request-id'])
  })

  it('answers an unknown route with a 404 problem (no token needed) of exactly the RFC 9457 members', async () => {
    t = makeTestApp()
    const res = await t.app.inject({ url: '/v1/nope' })
    expect(res.statusCode).toBe(404)
    const problem = expectProblem(res, 404, 'NOT_FOUND')
    expect(Object.keys(problem).sort()).toEqual(PROBLEM_KEYS)
    expect(problem.title).toBe('Not found')
  })

  it('renders an AppError with its status and meta members, and success with the request id', async () => {
    t = makeTestApp()
    const stale = await t.app.inject({ url: '/v1/stale', headers: bearer(GOOD_TOKEN) })
    expect(stale.statusCode).toBe(412)
    expect(expectProblem(stale, 412, 'PRECONDITION_FAILED')).toMatchObject({
      detail: 'The document changed since revision 3',
      currentRevision: 4,
    })
    const ok = await t.app.inject({
      method: 'POST',
      url: '/v1/things',
      headers: bearer(GOOD_TOKEN),
      payload: { name: 'a', count: 2 },
    })
    expect(ok.statusCode).toBe(201)
    expect(ok.json()).toEqual({ name: 'a', count: 2, by: 'mem_0000000000000000' })
    expect(ok.headers['x-request-id']).toMatch(/^req_/)
    expect(ok.headers['cache-control']).toBe('no-store')
    expect(ok.headers['referrer-policy']).toBe('no-referrer')
  })

  it('turns an unexpected error into a fixed 500 and logs its cause under the request id', async () => {
    t = makeTestApp()
    const res = await t.app.inject({ url: '/v1/boom', headers: bearer(GOOD_TOKEN) })
    const problem = expectProblem(res, 500, 'INTERNAL')
    expect(problem.detail).toBe(
      'An unexpected error occurred; the server log has the details under this request id',
    )
    expect(res.body).not.toContain(boomCanary)
    expect(res.body).not.toContain('driver exploded')
    const line = t.logs
      .map((l) => JSON.parse(l) as Record<string, unknown>)
      .find((l) => l['msg'] === 'request failed')
    expect(line?.['requestId']).toBe(problem.requestId)
    expect(JSON.stringify(line?.['err'])).toContain('driver exploded')
  })
})

describe('request validation', () => {
  it('names each bad body field and never echoes the submitted values', async () => {
    t = makeTestApp()
    const secret = canary()
    const res = await t.app.inject({
      method: 'POST',
      url: '/v1/things',
      headers: bearer(GOOD_TOKEN),
      payload: { name: `${secret}${secret}`, count: secret },
    })
    expect(res.statusCode).toBe(400)
    const problem = expectProblem(res, 400, 'VALIDATION_FAILED')
    expect(problem.detail).toBe('The request body is invalid')
    expect(problem.errors?.map((e) => e.field).sort()).toEqual(['count', 'name'])
    for (const e of problem.errors ?? []) expect(e.message.length).toBeGreaterThan(5)
    expect(res.body).not.toContain(secret)
  })

  it('prefixes query parameters with query.', async () => {
    t = makeTestApp()
    const res = await t.app.inject({ url: '/v1/things?limit=500', headers: bearer(GOOD_TOKEN) })
    expect(expectProblem(res, 400, 'VALIDATION_FAILED').errors?.map((e) => e.field)).toEqual([
      'query.limit',
    ])
  })

  it('refuses an oversized body with 413, JSON or text, without echoing it', async () => {
    t = makeTestApp()
    const secret = canary()
    for (const [type, payload] of [
      ['application/json', JSON.stringify({ name: secret.repeat(100), count: 1 })],
      ['text/plain', `KEY=${secret.repeat(100)}`],
    ] as const) {
      const res = await t.app.inject({
        method: type === 'text/plain' ? 'PUT' : 'POST',
        url: type === 'text/plain' ? '/v1/doc' : '/v1/things',
        headers: { ...bearer(GOOD_TOKEN), 'content-type': type },
        payload,
      })
      expect(res.statusCode).toBe(413)
      expectProblem(res, 413, 'PAYLOAD_TOO_LARGE')
      expect(res.body).not.toContain(secret)
    }
  })

  it('refuses malformed JSON with a fixed 400 that quotes none of the body', async () => {
    t = makeTestApp()
    const secret = canary()
    const res = await t.app.inject({
      method: 'POST',
      url: '/v1/things',
      headers: { ...bearer(GOOD_TOKEN), 'content-type': 'application/json' },
      payload: `{"name": "${secret}`,
    })
    const problem = expectProblem(res, 400, 'BAD_REQUEST')
    expect(problem.detail).toBe('The request body is not valid JSON')
    expect(res.body).not.toContain(secret)
    expect(res.body).not.toContain(secret.slice(0, 12))
  })

  it('accepts UTF-8 text bodies exactly, and refuses broken UTF-8 or another charset', async () => {
    t = makeTestApp()
    const text = 'A=1\n# é 😀\nB="x"\n'
    const send = (payload: string | Buffer, type = 'text/plain') =>
      t.app.inject({
        method: 'PUT',
        url: '/v1/doc',
        headers: { ...bearer(GOOD_TOKEN), 'content-type': type },
        payload,
      })
    expect((await send(text)).json()).toEqual({ length: text.length })
    expectProblem(await send(Buffer.from([0x41, 0x3d, 0xff, 0x0a])), 400, 'BAD_REQUEST')
    expectProblem(
      await send('A=1', 'text/plain; charset=iso-8859-1'),
      415,
      'UNSUPPORTED_MEDIA_TYPE',
    )
    expectProblem(
      await send('A=1', 'application/x-www-form-urlencoded'),
      415,
      'UNSUPPORTED_MEDIA_TYPE',
    )
  })
})

describe('authentication', () => {
  it('gives 401 with WWW-Authenticate and one identical message for missing, malformed and unknown tokens', async () => {
    t = makeTestApp({ maxFailures: 100 })
    const bodies: unknown[] = []
    for (const headers of [
      {},
      { authorization: 'Basic dXNlcjpwYXNz' },
      bearer('tresor_pat_unknown'),
      bearer(''),
    ]) {
      const res = await t.app.inject({ url: '/v1/things?limit=1', headers })
      expect(res.statusCode).toBe(401)
      expect(res.headers['www-authenticate']).toBe('Bearer realm="tresor"')
      const { requestId: _, ...rest } = expectProblem(res, 401, 'UNAUTHENTICATED')
      bodies.push(rest)
    }
    expect(new Set(bodies.map((b) => JSON.stringify(b))).size).toBe(1)
    expect(bodies[0]).toMatchObject({
      detail: 'A valid bearer token is required (Authorization: Bearer <token>)',
    })
  })

  it('slows down an IP after N failures with 429 and Retry-After, even for a good token, until the window passes', async () => {
    t = makeTestApp({ maxFailures: 3 })
    const get = (token: string) =>
      t.app.inject({ url: '/v1/things?limit=1', headers: bearer(token) })
    for (let i = 0; i < 3; i++) {
      t.clock.now += 1000
      expect((await get('tresor_pat_wrong')).statusCode).toBe(401)
    }
    const limited = await get(GOOD_TOKEN)
    expect(limited.statusCode).toBe(429)
    expect(limited.headers['retry-after']).toBe('8') // first failure at +1 s, window 10 s, now +3 s
    expect(expectProblem(limited, 429, 'RATE_LIMITED')['retryAfter']).toBe(8)
    t.clock.now += 7_000
    expect((await get(GOOD_TOKEN)).statusCode).toBe(429)
    t.clock.now += 1_000
    expect((await get(GOOD_TOKEN)).statusCode).toBe(200)
    expect((await t.app.inject({ url: '/healthz' })).statusCode).toBe(200)
  })

  it('never counts successful authentications', async () => {
    t = makeTestApp({ maxFailures: 3 })
    for (let i = 0; i < 2; i++)
      await t.app.inject({ url: '/v1/things?limit=1', headers: bearer('nope') })
    for (let i = 0; i < 20; i++) {
      const res = await t.app.inject({ url: '/v1/things?limit=1', headers: bearer(GOOD_TOKEN) })
      expect(res.statusCode).toBe(200)
    }
  })
})

describe('logs', () => {
  it('at debug level contain no Authorization value and no body, but do contain request ids', async () => {
    t = makeTestApp({ level: 'debug', maxFailures: 100 })
    const secret = canary()
    const badToken = `tresor_pat_${canary()}`
    const calls = [
      {
        method: 'POST' as const,
        url: '/v1/things',
        headers: bearer(GOOD_TOKEN),
        payload: { name: 'n', count: 1, extra: secret },
      },
      {
        method: 'POST' as const,
        url: '/v1/things',
        headers: bearer(GOOD_TOKEN),
        payload: { name: secret, count: secret },
      },
      {
        method: 'POST' as const,
        url: '/v1/things',
        headers: bearer(badToken),
        payload: { name: secret },
      },
      {
        method: 'PUT' as const,
        url: '/v1/doc',
        headers: { ...bearer(GOOD_TOKEN), 'content-type': 'text/plain' },
        payload: `S=${secret}`,
      },
      {
        method: 'POST' as const,
        url: '/v1/things',
        headers: { ...bearer(GOOD_TOKEN), 'content-type': 'application/json' },
        payload: `{"a":"${secret}`,
      },
    ]
    const ids: string[] = []
    for (const call of calls) ids.push(String((await t.app.inject(call)).headers['x-request-id']))
    const text = t.logs.join('')
    expect(t.logs.length).toBeGreaterThanOrEqual(calls.length)
    for (const id of ids) expect(text).toContain(id)
    for (const needle of [secret, GOOD_TOKEN, badToken, 'Bearer'])
      expect(text).not.toContain(needle)
  })
})

describe('OpenAPI', () => {
  it('serves an OpenAPI 3.1 document without auth, listing the routes with their zod schemas', async () => {
    t = makeTestApp()
    const res = await t.app.inject({ url: '/v1/openapi.json' })
    expect(res.statusCode).toBe(200)
    const doc: unknown = res.json()
    expect(dig(doc, 'openapi')).toMatch(/^3\.1\./)
    expect(dig(doc, 'info')).toMatchObject({ title: 'Tresor API', version: '0.0.0-test' })
    const post = dig(doc, 'paths', '/v1/things', 'post')
    const body = dig(post, 'requestBody', 'content', 'application/json', 'schema')
    expect(dig(body, 'required')).toEqual(['name', 'count'])
    expect(Object.keys(dig(post, 'responses') as object)).toEqual(['201', 'default'])
    expect(dig(post, 'responses', 'default')).toEqual({ $ref: '#/components/responses/Problem' })
    const problem = dig(doc, 'components', 'schemas', 'Problem')
    expect(dig(problem, 'properties', 'code', 'enum')).toEqual([...ERROR_CODES])
    expect(dig(problem, 'required')).toEqual([
      'type',
      'title',
      'status',
      'detail',
      'code',
      'requestId',
    ])
    expect(dig(doc, 'paths', '/healthz', 'get', 'security')).toEqual([])
    expect(dig(doc, 'security')).toEqual([{ bearer: [] }])
    expect(dig(doc, 'paths', '/v1/openapi.json')).toBeUndefined()
  })
})
