import { environmentPath } from './paths.ts'
import { previewsApi, releasesApi } from './releases-api.ts'
import { parseJson, type Caller } from './request.ts'
import type {
  CreatedSecretRequest,
  CreatePreviewBody,
  CreateSecretRequestBody,
  SecretRequest,
} from './types.ts'

// Kept for the callers written before these moved to types.ts.
export type {
  CreatedSecretRequest,
  CreatePreviewBody,
  CreateSecretRequestBody,
  Environment as PreviewEnvironment,
  Release,
  SecretRequest,
} from './types.ts'

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

/**
 * @deprecated createClient now has `releases` and `previews`; this is the older two-method
 * shape, kept so that its callers keep working until they move over.
 */
export function deploysApi(call: Caller) {
  const releases = releasesApi(call)
  const previews = previewsApi(call)
  return {
    deploy: async (project: string, env: string, message?: string) =>
      releases.create({ project, env }, message === undefined ? {} : { message }),
    createPreview: async (project: string, body: CreatePreviewBody) =>
      previews.create(project, body),
  }
}
