// The OpenAPI 3.1 document of the real app, snapshot-tested: a change to any route's schema shows
// up as a diff to review (`npx vitest run test/drift -u` accepts it). Also: every documented
// route is in it, the /v1/repos aliases are not, and every operation answers problems.
import { afterAll, beforeAll, expect, it } from 'vitest'
import { startApp, type AppUnderTest } from '../http/helpers/app.ts'

let t: AppUnderTest
let doc: {
  openapi: string
  info: { version: string }
  paths: Record<string, Record<string, { responses?: Record<string, unknown> }>>
  components: { responses?: Record<string, unknown> }
}

beforeAll(async () => {
  t = await startApp({ logLevel: 'silent' })
  const res = await t.app.inject({ url: '/v1/openapi.json' })
  expect(res.statusCode).toBe(200)
  doc = res.json()
})
afterAll(async () => {
  await t.close()
})

const openApiPath = (url: string) => url.replace(/:([A-Za-z]+)/g, '{$1}')

it('matches the committed snapshot (version normalised)', async () => {
  expect(doc.openapi).toBe('3.1.0')
  const normalised = { ...doc, info: { ...doc.info, version: '<version>' } }
  await expect(`${JSON.stringify(normalised, null, 2)}\n`).toMatchFileSnapshot(
    './__snapshots__/openapi.json',
  )
})

it('documents every visible route, and none of the /v1/repos aliases', () => {
  const visible = t.routes.filter((r) => !r.hidden && r.method !== 'HEAD')
  const missing = visible.filter(
    (r) => doc.paths[openApiPath(r.url)]?.[r.method.toLowerCase()] === undefined,
  )
  expect(missing.map((r) => `${r.method} ${r.url}`)).toEqual([])
  expect(Object.keys(doc.paths).filter((p) => p.startsWith('/v1/repos'))).toEqual([])
  expect(Object.keys(doc.paths).length).toBeGreaterThan(20)
})

it('gives every operation with a response schema the shared problem response', () => {
  const operations = Object.entries(doc.paths).flatMap(([path, ops]) =>
    Object.entries(ops).map(([method, op]) => ({ name: `${method} ${path}`, op })),
  )
  const without = operations.filter(
    ({ op }) =>
      op.responses !== undefined &&
      Object.keys(op.responses).some((s) => s !== 'default') &&
      JSON.stringify(op.responses['default']) !== '{"$ref":"#/components/responses/Problem"}',
  )
  expect(without.map((o) => o.name)).toEqual([])
  expect(doc.components.responses?.['Problem']).toBeDefined()
})
