import { addonsApi } from './addons-api.ts'
import { createCaller, normalizeBaseUrl, parseJson, type ClientOptions } from './request.ts'
import { documentsApi, variablesApi } from './variables-api.ts'
import { accessApi, auditApi, environmentsApi, projectsApi } from './resources-api.ts'
import { previewsApi, releasesApi, settingsApi } from './releases-api.ts'
import { secretRequestsApi } from './secret-requests.ts'
import { sessionsApi } from './sessions-api.ts'
import type { Whoami } from './types.ts'

/**
 * A typed client of the Tresor REST API: one method per endpoint, wire types from api/, errors
 * as ApiError (code, message, details, request id). It never logs a body or a token.
 * @example
 * const client = createClient({ baseUrl: 'http://127.0.0.1:7070', token })
 * const { vars } = await client.vars.list({ project: 'myapp', env: 'staging' })
 */
export function createClient(options: ClientOptions) {
  const call = createCaller(options)
  const access = accessApi(call)
  return {
    baseUrl: normalizeBaseUrl(options.baseUrl),
    /** `GET /healthz`: true when the server answers. */
    health: async () => parseJson<{ ok: boolean }>(await call({ method: 'GET', path: '/healthz' })),
    whoami: async () => parseJson<Whoami>(await call({ method: 'GET', path: '/v1/whoami' })),
    projects: projectsApi(call),
    environments: environmentsApi(call),
    vars: variablesApi(call),
    documents: documentsApi(call),
    tokens: access.tokens,
    members: access.members,
    audit: auditApi(call),
    releases: releasesApi(call),
    previews: previewsApi(call),
    addons: addonsApi(call),
    settings: settingsApi(call),
    secretRequests: secretRequestsApi(call),
    sessions: sessionsApi(call),
  }
}

export type TresorClient = ReturnType<typeof createClient>
