// Client methods for secret requests, releases and previews: what `tresor mcp` calls beyond
// createClient's. Kept in their own file while createClient is being written elsewhere; the
// methods take the same Caller, so they can move into it unchanged.
import type { z } from 'zod'
import type { CreatePreviewBodySchema, ReleaseSchema } from '../api/releases.ts'
import type { EnvironmentSchema } from '../api/resources.ts'
import type {
  CreatedSecretRequestSchema,
  CreateSecretRequestBodySchema,
  SecretRequestSchema,
} from '../api/secret-requests.ts'
import { environmentPath, projectPath } from './paths.ts'
import { parseJson, type Caller } from './request.ts'

export type CreateSecretRequestBody = z.input<typeof CreateSecretRequestBodySchema>
export type SecretRequest = z.infer<typeof SecretRequestSchema>
export type CreatedSecretRequest = z.infer<typeof CreatedSecretRequestSchema>
export type Release = z.infer<typeof ReleaseSchema>
export type CreatePreviewBody = z.input<typeof CreatePreviewBodySchema>
export type PreviewEnvironment = z.infer<typeof EnvironmentSchema>

/** Secret requests of an environment: create (answers the one-time link once), get, list. */
export function secretRequestsApi(call: Caller) {
  const base = (project: string, env: string) => `${environmentPath(project, env)}/secret-requests`
  return {
    create: async (project: string, env: string, body: CreateSecretRequestBody) =>
      parseJson<CreatedSecretRequest>(
        await call({ method: 'POST', path: base(project, env), json: body }),
      ),
    get: async (project: string, env: string, id: string) =>
      parseJson<SecretRequest>(
        await call({ method: 'GET', path: `${base(project, env)}/${encodeURIComponent(id)}` }),
      ),
    list: async (project: string, env: string) =>
      parseJson<{ secretRequests: SecretRequest[] }>(
        await call({ method: 'GET', path: base(project, env) }),
      ),
  }
}

/** Releases (deploys) of an environment and preview environments of a project. */
export function deploysApi(call: Caller) {
  return {
    deploy: async (project: string, env: string, message?: string) =>
      parseJson<Release>(
        await call({
          method: 'POST',
          path: `${environmentPath(project, env)}/releases`,
          json: message === undefined ? {} : { message },
        }),
      ),
    createPreview: async (project: string, body: CreatePreviewBody) =>
      parseJson<PreviewEnvironment>(
        await call({ method: 'POST', path: `${projectPath(project)}/previews`, json: body }),
      ),
  }
}
