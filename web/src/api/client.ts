import { createCaller, parseJson, type CallSpec } from '../../../src/client/request.ts'
import type {
  AuditEvent,
  AuditQuery,
  AuditVerify,
  CreatedToken,
  CreateTokenBody,
  DeleteResult,
  Diff,
  Environment,
  Member,
  Project,
  PutVarResult,
  Release,
  RevealResult,
  Revision,
  TokenInfo,
  VarList,
  Whoami,
} from './types.ts'

const enc = encodeURIComponent

/** `/v1/projects/{project}/environments/{env}`, each part escaped. */
export function envPath(project: string, env: string): string {
  return `/v1/projects/${enc(project)}/environments/${enc(env)}`
}

/**
 * The calls the dashboard makes, typed by the wire schemas. Built per signed-in token; the token
 * lives in the closure and is sent only as the Authorization header of same-origin requests.
 */
export function createApi(token: string, baseUrl: string = window.location.origin) {
  const call = createCaller({ baseUrl, token })
  const json = async <T>(spec: CallSpec): Promise<T> => parseJson<T>(await call(spec))
  const get = <T>(path: string, query?: CallSpec['query']) =>
    json<T>({ method: 'GET', path, ...(query === undefined ? {} : { query }) })
  return {
    whoami: () => get<Whoami>('/v1/whoami'),
    projects: async () => (await get<{ projects: Project[] }>('/v1/projects')).projects,
    project: (p: string) => get<Project>(`/v1/projects/${enc(p)}`),
    createProject: (slug: string) =>
      json<Project>({ method: 'POST', path: '/v1/projects', json: { slug } }),
    environments: async (p: string) =>
      (await get<{ environments: Environment[] }>(`/v1/projects/${enc(p)}/environments`))
        .environments,
    environment: (p: string, e: string) => get<Environment>(envPath(p, e)),
    vars: (p: string, e: string) => get<VarList>(`${envPath(p, e)}/vars`),
    setVar: (p: string, e: string, body: { key: string; value: string; kind: string }) =>
      json<PutVarResult>({ method: 'PUT', path: `${envPath(p, e)}/vars`, json: body }),
    mergeVars: (p: string, e: string, env: Record<string, string>) =>
      json<VarList>({ method: 'PATCH', path: `${envPath(p, e)}/vars`, json: { env } }),
    deleteVar: (p: string, e: string, key: string) =>
      json<DeleteResult>({ method: 'DELETE', path: `${envPath(p, e)}/vars/${enc(key)}` }),
    reveal: (p: string, e: string, key: string) =>
      json<RevealResult>({ method: 'POST', path: `${envPath(p, e)}/vars/${enc(key)}/reveal` }),
    putDocument: (p: string, e: string, text: string, replace: boolean, baseRevision: number) =>
      json<VarList>({
        method: 'PUT',
        path: `${envPath(p, e)}/document`,
        query: { replace: replace ? 'true' : undefined },
        text,
        baseRevision,
      }),
    revisions: async (p: string, e: string) =>
      (await get<{ revisions: Revision[] }>(`${envPath(p, e)}/revisions`)).revisions,
    diff: (p: string, e: string, from: number, to: number) =>
      get<Diff>(`${envPath(p, e)}/diff`, { from, to }),
    releases: async (p: string, e: string) =>
      (await get<{ releases: Release[] }>(`${envPath(p, e)}/releases`)).releases,
    deploy: (p: string, e: string) =>
      json<Release>({ method: 'POST', path: `${envPath(p, e)}/releases`, json: {} }),
    rollback: (p: string, e: string, release: number) =>
      json<Release>({ method: 'POST', path: `${envPath(p, e)}/rollback`, json: { release } }),
    tokens: async () => (await get<{ tokens: TokenInfo[] }>('/v1/tokens')).tokens,
    createToken: (body: CreateTokenBody) =>
      json<CreatedToken>({ method: 'POST', path: '/v1/tokens', json: body }),
    revokeToken: (id: string) =>
      json<TokenInfo>({ method: 'DELETE', path: `/v1/tokens/${enc(id)}` }),
    members: async () => (await get<{ members: Member[] }>('/v1/members')).members,
    audit: async (q: AuditQuery) =>
      (await get<{ events: AuditEvent[] }>('/v1/audit', { ...q })).events,
    verifyAudit: () => get<AuditVerify>('/v1/audit/verify'),
  }
}

export type Api = ReturnType<typeof createApi>
