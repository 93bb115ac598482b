import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import {
  createClient,
  normalizeBaseUrl,
  fetchTransport,
  ApiError,
  type Transport,
} from './index.ts'
import { netTransport } from './net-transport.ts'
import { nodeTransport } from './node-transport.ts'

// A real HTTP peer answering canned responses: the client's wire behaviour, byte for byte.
interface Seen {
  method: string
  url: string
  headers: IncomingMessage['headers']
  body: string
}
let seen: Seen[] = []
let server: Server
let base: string
let closedUrl: string
const ROUTES: Record<string, (res: ServerResponse) => void> = {
  'GET /v1/whoami': (res) =>
    res.writeHead(200, { 'content-type': 'application/json' }).end('{"tokenId":"tok_x"}'),
  'DELETE /v1/projects/a%20b/environments/e/vars': (res) =>
    res.writeHead(200).end('{"removed":["A"],"notFound":[],"revision":3,"redeployRequired":true}'),
  'GET /v1/projects/p/environments/e/document': (res) =>
    res.writeHead(200, { etag: '"7"', 'content-type': 'text/plain' }).end('A=1\n'),
  'PUT /v1/projects/p/environments/e/vars': (res) =>
    res
      .writeHead(412, { 'content-type': 'application/problem+json' })
      .end(
        '{"type":"/problems/precondition-failed","title":"x","status":412,"detail":"the document moved on","code":"PRECONDITION_FAILED","requestId":"req_1","currentRevision":9}',
      ),
  'GET /v1/projects/missing': (res) =>
    res
      .writeHead(404, { 'content-type': 'application/problem+json' })
      .end(
        '{"type":"/problems/not-found","title":"Not found","status":404,"detail":"project \'missing\' not found","code":"NOT_FOUND","requestId":"req_2","errors":[{"key":"K","line":2,"message":"why"}]}',
      ),
  'GET /v1/projects': (res) =>
    res.writeHead(502, { 'x-request-id': 'req_3' }).end('<html>proxy SECRET-IN-BODY</html>'),
  'GET /v1/tokens': () => undefined, // never answers
}

beforeAll(async () => {
  server = createServer((req, res) => {
    let body = ''
    req.on('data', (d: Buffer) => (body += d.toString()))
    req.on('end', () => {
      seen.push({ method: req.method ?? '', url: req.url ?? '', headers: req.headers, body })
      const route = ROUTES[`${req.method ?? ''} ${(req.url ?? '').split('?')[0] ?? ''}`]
      if (route) route(res)
      else res.writeHead(500).end()
    })
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  // A port that was free a moment ago and is closed now (fetch refuses "bad ports" such as 9).
  const probe = createServer()
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve))
  closedUrl = `http://127.0.0.1:${(probe.address() as AddressInfo).port}`
  await new Promise((resolve) => probe.close(resolve))
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`
})
afterAll(() => {
  server.closeAllConnections()
  server.close()
})

const transports: Array<[string, () => Transport]> = [
  ['node:http', () => nodeTransport({ agent: false })],
  ['node:net', () => netTransport()],
  ['fetch', () => fetchTransport()],
]

describe.each(transports)('createClient over %s', (_name, transport) => {
  const client = () =>
    createClient({
      baseUrl: base,
      token: 'tok-123',
      transport: transport(),
      userAgent: 'ua/1',
      timeoutMs: 300,
    })

  it('sends the bearer token and parses JSON', async () => {
    seen = []
    expect(await client().whoami()).toEqual({ tokenId: 'tok_x' })
    expect(seen[0]?.headers).toMatchObject({
      authorization: 'Bearer tok-123',
      accept: 'application/json',
      'user-agent': 'ua/1',
    })
  })

  it('sends a DELETE body with its length and encodes path segments', async () => {
    seen = []
    const out = await client().vars.remove({ project: 'a b', env: 'e' }, ['A'], { baseRevision: 2 })
    expect(out.removed).toEqual(['A'])
    expect(seen[0]).toMatchObject({ method: 'DELETE', body: '{"keys":["A"]}' })
    expect(seen[0]?.headers).toMatchObject({
      'content-length': '14',
      'if-match': '"2"',
      'content-type': 'application/json',
    })
  })

  it('reads the revision of a document from its ETag', async () => {
    expect(await client().documents.get({ project: 'p', env: 'e' })).toEqual({
      text: 'A=1\n',
      revision: 7,
    })
  })

  it('turns a problem document into an ApiError with code, details and request id', async () => {
    const err = (await client()
      .projects.get('missing')
      .catch((e: unknown) => e)) as ApiError
    expect(err).toBeInstanceOf(ApiError)
    expect([err.code, err.message, err.httpStatus, err.requestId, err.errors]).toEqual([
      'NOT_FOUND',
      "project 'missing' not found",
      404,
      'req_2',
      [{ key: 'K', line: 2, message: 'why' }],
    ])
    const stale = (await client()
      .vars.set({ project: 'p', env: 'e' }, { key: 'A', value: 'v' })
      .catch((e: unknown) => e)) as ApiError
    expect([stale.code, stale.meta]).toEqual(['PRECONDITION_FAILED', { currentRevision: 9 }])
  })

  it('never quotes a body that is not a problem document', async () => {
    const err = (await client()
      .projects.list()
      .catch((e: unknown) => e)) as ApiError
    expect([err.code, err.message, err.requestId]).toEqual([
      'UNAVAILABLE',
      'the server answered HTTP 502 without a problem document',
      'req_3',
    ])
  })

  it('reports a timeout and a refused connection as UNAVAILABLE, in one line', async () => {
    const slow = (await client()
      .tokens.list()
      .catch((e: unknown) => e)) as ApiError
    expect(slow.message).toBe(
      `cannot reach the Tresor server at ${base.slice(0, -1)} (no answer in time)`,
    )
    const down = createClient({ baseUrl: closedUrl, token: 't', transport: transport() })
    const refused = (await down.whoami().catch((e: unknown) => e)) as ApiError
    expect([refused.code, refused.httpStatus, refused.message]).toEqual([
      'UNAVAILABLE',
      0,
      `cannot reach the Tresor server at ${closedUrl} (connection refused; is the server running?)`,
    ])
  })
})

describe('normalizeBaseUrl', () => {
  it('drops trailing slashes and keeps a path prefix', () => {
    expect(normalizeBaseUrl('https://example.com/tresor/')).toBe('https://example.com/tresor')
    expect(normalizeBaseUrl('http://127.0.0.1:7070')).toBe('http://127.0.0.1:7070')
  })

  it.each([
    ['ftp://example.com', 'the server URL must start with http:// or https://'],
    ['not a url', 'the server URL is not a valid URL'],
    ['https://me:pw@example.com', 'the server URL must not contain a user name or password'],
  ])('refuses %s', (url, message) => {
    expect(() => normalizeBaseUrl(url)).toThrow(message)
  })
})
