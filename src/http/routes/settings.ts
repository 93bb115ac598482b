import { PreviewCreatedSchema } from '../../api/addons.ts'
import { EnvironmentParamsSchema, ProjectParamsSchema } from '../../api/common.ts'
import {
  CreatePreviewBodySchema,
  UpdateEnvironmentBodySchema,
  UpdateProjectBodySchema,
} from '../../api/releases.ts'
import { EnvironmentListSchema, EnvironmentSchema } from '../../api/resources.ts'
import type { PreviewService } from '../../services/previews/preview-service.ts'
import type { SettingsService } from '../../services/projects/settings-service.ts'
import { z } from 'zod'
import type { TresorApp } from '../build-server.ts'
import { environmentBody } from './projects.ts'
import { ctxOf, PROJECT_PREFIXES, type RouteDeps } from './route-deps.ts'

const ProjectSettingsSchema = z.object({
  id: z.string(),
  slug: z.string(),
  name: z.string(),
  requiredKeys: z.array(z.string()),
})

/** Project and environment settings (required keys, auto-deploy) and preview environments. */
export function settingsRoutes(
  deps: RouteDeps & { settings: SettingsService; previews: PreviewService },
) {
  return (app: TresorApp) => {
    for (const prefix of PROJECT_PREFIXES) {
      const hide = prefix.startsWith('/v1/repos')
      app.patch(
        prefix,
        {
          schema: {
            tags: ['projects'],
            hide,
            params: ProjectParamsSchema,
            body: UpdateProjectBodySchema,
            response: { 200: ProjectSettingsSchema },
          },
        },
        async (req) => {
          const p = await deps.settings.updateProject(ctxOf(req), req.params.project, req.body)
          return { id: p.id, slug: p.slug, name: p.name, requiredKeys: p.requiredKeys }
        },
      )
      app.patch(
        `${prefix}/environments/:env`,
        {
          schema: {
            tags: ['projects'],
            hide,
            params: EnvironmentParamsSchema,
            body: UpdateEnvironmentBodySchema,
            response: { 200: EnvironmentSchema },
          },
        },
        async (req) => {
          const { env, status } = await deps.settings.updateEnvironment(
            ctxOf(req),
            req.params.project,
            req.params.env,
            req.body,
          )
          return environmentBody(env, status)
        },
      )
      app.post(
        `${prefix}/previews`,
        {
          schema: {
            tags: ['previews'],
            hide,
            params: ProjectParamsSchema,
            body: CreatePreviewBodySchema,
            response: { 201: PreviewCreatedSchema },
          },
        },
        async (req, reply) => {
          const env = await deps.previews.create(ctxOf(req), req.params.project, req.body)
          const { status } = await deps.projects.getEnvironment(
            ctxOf(req),
            req.params.project,
            env.id,
          )
          const made = {
            ...(env.database === undefined ? {} : { database: env.database }),
            warnings: env.warnings,
          }
          return reply.code(201).send({ ...environmentBody(env, status), ...made })
        },
      )
      app.get(
        `${prefix}/previews`,
        {
          schema: {
            tags: ['previews'],
            hide,
            params: ProjectParamsSchema,
            response: { 200: EnvironmentListSchema },
          },
        },
        async (req) => {
          const list = await deps.projects.listEnvironments(ctxOf(req), req.params.project)
          return {
            environments: list
              .filter(({ env }) => env.parentId !== null)
              .map(({ env, status }) => environmentBody(env, status)),
          }
        },
      )
    }
  }
}
