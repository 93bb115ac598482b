import { environmentPath, projectPath } from './paths.ts'
import { parseJson, type Caller } from './request.ts'
import type {
  AuditEvent,
  AuditQuery,
  AuditVerify,
  CreatedToken,
  CreateEnvironmentBody,
  CreateMemberBody,
  CreateProjectBody,
  CreateTokenBody,
  Environment,
  Member,
  Project,
  TokenInfo,
  UpdateMemberBody,
} from './types.ts'

/** Projects and their environments. */
export function projectsApi(call: Caller) {
  return {
    list: async () =>
      parseJson<{ projects: Project[] }>(await call({ method: 'GET', path: '/v1/projects' })),
    get: async (project: string) =>
      parseJson<Project>(await call({ method: 'GET', path: projectPath(project) })),
    create: async (body: CreateProjectBody) =>
      parseJson<Project>(await call({ method: 'POST', path: '/v1/projects', json: body })),
    remove: async (project: string) => {
      await call({ method: 'DELETE', path: projectPath(project) })
    },
  }
}

/** Environments of one project. */
export function environmentsApi(call: Caller) {
  return {
    list: async (project: string) =>
      parseJson<{ environments: Environment[] }>(
        await call({ method: 'GET', path: `${projectPath(project)}/environments` }),
      ),
    get: async (project: string, env: string) =>
      parseJson<Environment>(await call({ method: 'GET', path: environmentPath(project, env) })),
    create: async (project: string, body: CreateEnvironmentBody) =>
      parseJson<Environment>(
        await call({ method: 'POST', path: `${projectPath(project)}/environments`, json: body }),
      ),
    remove: async (project: string, env: string) => {
      await call({ method: 'DELETE', path: environmentPath(project, env) })
    },
  }
}

/** Tokens (a new token's value is in the create answer only) and members. */
export function accessApi(call: Caller) {
  return {
    tokens: {
      list: async () =>
        parseJson<{ tokens: TokenInfo[] }>(await call({ method: 'GET', path: '/v1/tokens' })),
      create: async (body: CreateTokenBody) =>
        parseJson<CreatedToken>(await call({ method: 'POST', path: '/v1/tokens', json: body })),
      revoke: async (id: string) =>
        parseJson<TokenInfo>(
          await call({ method: 'DELETE', path: `/v1/tokens/${encodeURIComponent(id)}` }),
        ),
    },
    members: {
      list: async () =>
        parseJson<{ members: Member[] }>(await call({ method: 'GET', path: '/v1/members' })),
      create: async (body: CreateMemberBody) =>
        parseJson<Member>(await call({ method: 'POST', path: '/v1/members', json: body })),
      update: async (id: string, body: UpdateMemberBody) =>
        parseJson<Member>(
          await call({
            method: 'PATCH',
            path: `/v1/members/${encodeURIComponent(id)}`,
            json: body,
          }),
        ),
    },
  }
}

/** The audit log (newest first) and the check of its hash chain. */
export function auditApi(call: Caller) {
  return {
    list: async (query: AuditQuery = {}) =>
      parseJson<{ events: AuditEvent[] }>(
        await call({ method: 'GET', path: '/v1/audit', query: { ...query } }),
      ),
    verify: async () =>
      parseJson<AuditVerify>(await call({ method: 'GET', path: '/v1/audit/verify' })),
  }
}
