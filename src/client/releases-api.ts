import { environmentPath, projectPath } from './paths.ts'
import { parseJson, type Caller } from './request.ts'
import type {
  CreatePreviewBody,
  EnvTarget,
  Environment,
  ProjectSettings,
  Release,
  ReleaseEnv,
  ReleaseEnvFormat,
  UpdateEnvironmentBody,
  UpdateProjectBody,
} from './types.ts'

const releasesPath = (t: EnvTarget) => `${environmentPath(t.project, t.env)}/releases`
const refPath = (t: EnvTarget, ref: string | number) =>
  `${releasesPath(t)}/${encodeURIComponent(String(ref))}`

/**
 * Releases (deploys) of an environment. A release's resolved environment holds secret values:
 * it needs a token with the `deploy` scope, and the server audits every read of it.
 */
export function releasesApi(call: Caller) {
  return {
    /** `POST …/releases`: resolves references, checks required keys, makes release N+1. */
    create: async (t: EnvTarget, body: { message?: string } = {}) =>
      parseJson<Release>(await call({ method: 'POST', path: releasesPath(t), json: body })),
    list: async (t: EnvTarget) =>
      parseJson<{ releases: Release[] }>(await call({ method: 'GET', path: releasesPath(t) })),
    /** One release by id, number or `latest`. */
    get: async (t: EnvTarget, ref: string | number = 'latest') =>
      parseJson<Release>(await call({ method: 'GET', path: refPath(t, ref) })),
    /** The release's fully resolved environment, system variables included (deploy scope). */
    env: async (t: EnvTarget, ref: string | number = 'latest') =>
      parseJson<ReleaseEnv>(await call({ method: 'GET', path: `${refPath(t, ref)}/env` })),
    /** The same environment as the text of an exporter format (dotenv, shell, k8s…). */
    envText: async (t: EnvTarget, ref: string | number, format: ReleaseEnvFormat) =>
      (await call({ method: 'GET', path: `${refPath(t, ref)}/env`, query: { format } })).body,
    /** A new revision equal to release `release`'s document (default: the one before), released. */
    rollback: async (t: EnvTarget, release?: number | string) =>
      parseJson<Release>(
        await call({
          method: 'POST',
          path: `${environmentPath(t.project, t.env)}/rollback`,
          json: release === undefined ? {} : { release },
        }),
      ),
  }
}

/** Preview environments: clones of a parent with overrides and a `PREVIEW_URL`. */
export function previewsApi(call: Caller) {
  return {
    list: async (project: string) =>
      parseJson<{ environments: Environment[] }>(
        await call({ method: 'GET', path: `${projectPath(project)}/previews` }),
      ),
    create: async (project: string, body: CreatePreviewBody) =>
      parseJson<Environment>(
        await call({ method: 'POST', path: `${projectPath(project)}/previews`, json: body }),
      ),
    /** A preview is an environment: deleting it is `DELETE …/environments/{slug}`. */
    remove: async (project: string, slug: string) => {
      await call({ method: 'DELETE', path: environmentPath(project, slug) })
    },
  }
}

/** Project and environment settings: required keys, name, auto-deploy. */
export function settingsApi(call: Caller) {
  return {
    updateProject: async (project: string, body: UpdateProjectBody) =>
      parseJson<ProjectSettings>(
        await call({ method: 'PATCH', path: projectPath(project), json: body }),
      ),
    updateEnvironment: async (t: EnvTarget, body: UpdateEnvironmentBody) =>
      parseJson<Environment>(
        await call({ method: 'PATCH', path: environmentPath(t.project, t.env), json: body }),
      ),
  }
}
