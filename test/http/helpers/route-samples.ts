// One valid request per route, so that the security suite can call EVERY registered route. A
// route without a sample fails the suite: a new route cannot be forgotten.
import { randomBytes } from 'node:crypto'
import { ok, type AppUnderTest, type RouteInfo } from './app.ts'

/** What a route's path parameters are filled with. */
export interface Ids {
  project: string
  env: string
  key: string
  tokenId: string
  memberId: string
  release: string
  secretRequestId: string
  webhookId: string
  deliveryId: string
}

export interface Sample {
  /** A concrete path for wildcard routes. */
  path?: string
  query?: string
  body?: () => unknown
  /** A text/plain body (dotenv documents). */
  text?: string
  /** Makes a resource this call may destroy (an environment, a project, a token). */
  prepare?: (t: AppUnderTest, ids: Ids) => Promise<Partial<Ids>>
  /** Answers with an endless event stream when allowed: only called where it must be refused. */
  streaming?: true
  /** What a public route answers anyone (its sample credential is a random link token). */
  status?: number
}

const linkToken = () => randomBytes(32).toString('base64url')
const slug = (prefix: string) => `${prefix}-${randomBytes(3).toString('hex')}`
const P = '/v1/projects/:project'
const E = `${P}/environments/:env`

const SAMPLES: Record<string, Sample> = {
  'GET /healthz': {},
  'GET /v1/openapi.json': {},
  'GET /v1/whoami': {},
  // Sessions and SSO (test/sso covers them end to end); a bearer token has no session: 404.
  'POST /v1/session': { body: () => ({ token: linkToken() }), status: 401 },
  'GET /v1/session': { status: 404 },
  'DELETE /v1/session': { status: 404 },
  'POST /v1/session/refresh': { body: () => ({ refresh: linkToken() }), status: 401 },
  'GET /v1/settings/sessions': {},
  'PATCH /v1/settings/sessions': { body: () => ({ idleTimeout: '30m' }) },
  'GET /v1/sso': {},
  'GET /v1/sso/login': { status: 303 },
  'GET /v1/sso/callback': { status: 303 },
  'POST /v1/sso/device': { status: 404 },
  'POST /v1/sso/device/token': { body: () => ({ deviceCode: linkToken() }), status: 400 },
  'GET /v1/sso/config': {},
  'PUT /v1/sso/config': {
    body: () => ({ issuer: 'https://idp.example.com', clientId: 'tresor', clientSecret: 'cs' }),
  },
  'DELETE /v1/sso/config': {},
  'POST /v1/projects': { body: () => ({ slug: slug('new') }) },
  'GET /v1/projects': {},
  [`GET ${P}`]: {},
  [`PATCH ${P}`]: { body: () => ({ name: 'Renamed' }) },
  [`DELETE ${P}`]: {
    prepare: async (t) => ({
      project: (
        await ok<{ id: string }>(t, 'POST', '/v1/projects', {
          body: { slug: slug('doomed'), environments: ['x'] },
          status: 201,
        })
      ).id,
    }),
  },
  [`POST ${P}/environments`]: { body: () => ({ slug: slug('env') }) },
  [`GET ${P}/environments`]: {},
  [`GET ${E}`]: {},
  [`PATCH ${E}`]: { body: () => ({ autoDeploy: false }) },
  [`DELETE ${E}`]: {
    prepare: async (t, ids) => ({
      env: (
        await ok<{ id: string }>(t, 'POST', `/v1/projects/${ids.project}/environments`, {
          body: { slug: slug('tmp') },
          status: 201,
        })
      ).id,
    }),
  },
  [`POST ${P}/previews`]: { body: () => ({ slug: slug('pr'), parent: 'staging' }) },
  [`GET ${P}/previews`]: {},
  [`POST ${E}/releases`]: { body: () => ({ message: 'sample' }) },
  [`GET ${E}/releases`]: {},
  [`GET ${E}/releases/:release`]: {},
  [`GET ${E}/releases/:release/env`]: {},
  [`POST ${E}/rollback`]: { body: () => ({ release: 1 }) },
  'POST /v1/tokens': { body: () => ({ name: 'sample', scopes: ['read'] }) },
  'GET /v1/tokens': {},
  'DELETE /v1/tokens/:id': {
    prepare: async (t) => ({
      tokenId: (
        await ok<{ id: string }>(t, 'POST', '/v1/tokens', {
          body: { name: 'doomed', scopes: ['read'] },
          status: 201,
        })
      ).id,
    }),
  },
  'GET /v1/members': {},
  'POST /v1/members': { body: () => ({ email: `${slug('m')}@example.com`, role: 'viewer' }) },
  'PATCH /v1/members/:id': { body: () => ({ role: 'developer' }) },
  'GET /v1/audit': { query: 'project=:project&env=:env' },
  'GET /v1/audit/verify': {},
  'GET /v1/events': { query: 'project=:project&env=:env', streaming: true },
  [`POST ${E}/secret-requests`]: { body: () => ({ key: 'REQUESTED', description: 'sample' }) },
  [`GET ${E}/secret-requests`]: {},
  [`GET ${E}/secret-requests/:id`]: {},
  'POST /v1/secret-requests/inspect': { body: () => ({ token: linkToken() }), status: 404 },
  'POST /v1/secret-requests/fulfill': {
    body: () => ({ token: linkToken(), value: 'v' }),
    status: 404,
  },
  'GET /s': {},
  'GET /s/page.js': {},
  'GET /s/page.css': {},
  'GET /': {},
  'GET /*': { path: '/projects/some-page' },
  [`POST ${P}/webhooks`]: { body: () => ({ url: 'http://127.0.0.1:9/hook' }) },
  [`GET ${P}/webhooks`]: {},
  [`DELETE ${P}/webhooks/:id`]: {
    prepare: async (t, ids) => ({
      webhookId: (
        await ok<{ id: string }>(t, 'POST', `/v1/projects/${ids.project}/webhooks`, {
          body: { url: 'http://127.0.0.1:9/doomed' },
          status: 201,
        })
      ).id,
    }),
  },
  [`GET ${P}/webhooks/:id/deliveries`]: {},
  [`GET ${P}/scan-fingerprints`]: {},
  [`GET ${P}/compare`]: { query: 'from=:env&to=:env' },
  'GET /v1/admin/keys': {},
  'POST /v1/admin/keys/rewrap': {},
  'POST /v1/admin/keys/rotate-data-key': { body: () => ({}) },
  [`POST ${P}/webhooks/:id/deliveries/:deliveryId/retry`]: {},
  // Add-ons (test/addons): `:name` is filled with `redis`.
  [`GET ${E}/addons`]: {},
  [`PUT ${E}/addons/:name`]: { body: () => ({ vars: { REDIS_URL: 'redis://sample:6379' } }) },
  // Rotating needs the built-in provisioner (not wired here): a precise 400 for the owner.
  [`POST ${E}/addons/:name/rotate`]: { status: 400 },
  [`DELETE ${E}/addons/:name`]: {
    prepare: async (t, ids) => {
      const path = `/v1/projects/${ids.project}/environments/${ids.env}/addons/redis`
      await ok(t, 'PUT', path, { body: { vars: { REDIS_URL: 'redis://doomed:6379' } } })
      return {}
    },
  },
}

// The variable and document routes exist for an environment and for the shared document.
for (const base of [E, P]) {
  Object.assign(SAMPLES, {
    [`GET ${base}/vars`]: {},
    [`PUT ${base}/vars`]: {
      body: () => ({ key: 'SAMPLE', value: 'sample-value', kind: 'config' }),
    },
    [`PATCH ${base}/vars`]: { body: () => ({ env: { SAMPLE2: 'x' } }) },
    [`DELETE ${base}/vars`]: { body: () => ({ keys: ['NOT_THERE'] }) },
    [`DELETE ${base}/vars/:key`]: {},
    [`POST ${base}/vars/:key/reveal`]: {},
    [`GET ${base}/document`]: {},
    [`PUT ${base}/document`]: { text: 'SAMPLE3=1\n' },
    [`GET ${base}/revisions`]: {},
    [`GET ${base}/diff`]: { query: 'from=0' },
  })
}

/** The route's sample, found by method and path with `/v1/repos` read as `/v1/projects`. */
export function sampleOf(route: RouteInfo): Sample | undefined {
  const method = route.method === 'HEAD' ? 'GET' : route.method
  return SAMPLES[`${method} ${route.url.replace(/^\/v1\/repos\//, '/v1/projects/')}`]
}

/** The route's path with its parameters filled in, plus its sample query. */
export function urlOf(route: RouteInfo, sample: Sample, ids: Ids): string {
  const id = route.url.startsWith('/v1/members')
    ? ids.memberId
    : route.url.includes('/secret-requests/')
      ? ids.secretRequestId
      : route.url.includes('/webhooks/')
        ? ids.webhookId
        : ids.tokenId
  const fill = (text: string) =>
    text
      .replace(':project', ids.project)
      .replaceAll(':env', ids.env)
      .replace(':key', ids.key)
      .replace(':release', ids.release)
      .replace(':deliveryId', ids.deliveryId)
      .replace(':name', 'redis')
      .replace(':id', id)
  const path = sample.path ?? fill(route.url)
  return path + (sample.query === undefined ? '' : `?${fill(sample.query)}`)
}

/** True for methods that change something (reveal counts: it is a POST that writes audit). */
export const isWrite = (route: RouteInfo): boolean => !['GET', 'HEAD'].includes(route.method)
