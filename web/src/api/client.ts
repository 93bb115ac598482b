import {
  createClient,
  fetchTransport,
  type AuditQuery,
  type CreateTokenBody,
  type Transport,
} from '../../../src/client/index.ts'
import { createCaller, parseJson, type CallSpec } from '../../../src/client/request.ts'
import { CSRF_HEADER } from './session.ts'
import type { Addon, Release } from './types.ts'

const enc = encodeURIComponent

/** `/v1/projects/{project}/environments/{env}`, each part escaped. */
export function envPath(project: string, env: string): string {
  return `/v1/projects/${enc(project)}/environments/${enc(env)}`
}

export interface ApiOptions {
  baseUrl?: string
  /** Called when the server no longer accepts the session (ended, expired, token revoked). */
  onUnauthenticated?: () => void
}

// Same-origin requests with the session cookie; writes carry the CSRF token (GET/HEAD never
// change anything, so they need none).
function sessionFetch(csrfToken: string): typeof fetch {
  return (input, init = {}) => {
    const method = (init.method ?? 'GET').toUpperCase()
    const headers = new Headers(init.headers)
    if (method !== 'GET' && method !== 'HEAD') headers.set(CSRF_HEADER, csrfToken)
    return fetch(input, { ...init, headers, credentials: 'same-origin' })
  }
}

/** Sends through `fetch`, telling the page when the server answers 401 (the session is over). */
function watchedTransport(
  csrfToken: string,
  onUnauthenticated: (() => void) | undefined,
): Transport {
  const send = fetchTransport(sessionFetch(csrfToken))
  return async (request) => {
    const response = await send(request)
    if (response.status === 401) onUnauthenticated?.()
    return response
  }
}

/**
 * The calls the dashboard makes: src/client's typed client, plus the release and add-on calls it
 * does not have yet. Authenticated by the HttpOnly session cookie (no token in the page); `csrfToken`
 * goes with every write.
 */
export function createApi(csrfToken: string, options: ApiOptions = {}) {
  const baseUrl = options.baseUrl ?? window.location.origin
  const transport = watchedTransport(csrfToken, options.onUnauthenticated)
  const client = createClient({ baseUrl, transport })
  const call = createCaller({ baseUrl, transport })
  const json = async <T>(spec: CallSpec): Promise<T> => parseJson<T>(await call(spec))
  const at = (project: string, env: string) => ({ project, env })
  return {
    whoami: client.whoami,
    projects: async () => (await client.projects.list()).projects,
    project: client.projects.get,
    createProject: (slug: string) => client.projects.create({ slug }),
    environments: async (p: string) => (await client.environments.list(p)).environments,
    vars: (p: string, e: string) => client.vars.list(at(p, e)),
    setVar: (
      p: string,
      e: string,
      body: { key: string; value: string; kind: 'config' | 'secret' },
    ) => client.vars.set(at(p, e), body),
    mergeVars: (p: string, e: string, env: Record<string, string>) =>
      client.vars.patch(at(p, e), { env }),
    deleteVar: (p: string, e: string, key: string) => client.vars.remove(at(p, e), [key]),
    reveal: (p: string, e: string, key: string) => client.vars.reveal(at(p, e), key),
    putDocument: (p: string, e: string, text: string, replace: boolean, baseRevision: number) =>
      client.documents.put(at(p, e), text, { replace, baseRevision }),
    revisions: async (p: string, e: string) =>
      (await client.documents.revisions(at(p, e))).revisions,
    diff: (p: string, e: string, from: number, to: number) =>
      client.documents.diff(at(p, e), from, to),
    /** Two environments compared on the server: secrets by value, only ever named. */
    compare: (p: string, from: string, to: string) => client.documents.compare(p, from, to),
    addons: async (p: string, e: string) =>
      (await json<{ addons: Addon[] }>({ method: 'GET', path: `${envPath(p, e)}/addons` })).addons,
    releases: async (p: string, e: string) =>
      (await json<{ releases: Release[] }>({ method: 'GET', path: `${envPath(p, e)}/releases` }))
        .releases,
    deploy: (p: string, e: string) =>
      json<Release>({ method: 'POST', path: `${envPath(p, e)}/releases`, json: {} }),
    rollback: (p: string, e: string, release: number) =>
      json<Release>({ method: 'POST', path: `${envPath(p, e)}/rollback`, json: { release } }),
    tokens: async () => (await client.tokens.list()).tokens,
    createToken: (body: CreateTokenBody) => client.tokens.create(body),
    revokeToken: client.tokens.revoke,
    members: async () => (await client.members.list()).members,
    audit: async (q: AuditQuery) => (await client.audit.list(q)).events,
    verifyAudit: client.audit.verify,
  }
}

export type Api = ReturnType<typeof createApi>
