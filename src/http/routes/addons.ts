import { EnvironmentParamsSchema } from '../../api/common.ts'
import {
  AddonListSchema,
  AddonParamsSchema,
  AddonWriteResultSchema,
  AttachAddonBodySchema,
  DetachAddonQuerySchema,
} from '../../api/addons.ts'
import type { AddonService } from '../../services/addons/addon-service.ts'
import type { TresorApp } from '../build-server.ts'
import { ctxOf, PROJECT_PREFIXES } from './route-deps.ts'

/**
 * Add-ons of an environment: list (read), attach or update (PUT), rotate, detach. Writes need
 * the `admin` action on the environment: an admin or owner member, or a token with admin scope.
 */
export function addonRoutes(deps: { addons: AddonService }) {
  const tags = ['addons']
  return (app: TresorApp) => {
    for (const prefix of PROJECT_PREFIXES) {
      const hide = prefix.startsWith('/v1/repos')
      const base = `${prefix}/environments/:env/addons`
      app.get(
        base,
        {
          schema: {
            tags,
            hide,
            params: EnvironmentParamsSchema,
            response: { 200: AddonListSchema },
          },
        },
        async (req) => ({
          addons: await deps.addons.list(ctxOf(req), req.params.project, req.params.env),
        }),
      )
      app.put(
        `${base}/:name`,
        {
          schema: {
            tags,
            hide,
            params: AddonParamsSchema,
            body: AttachAddonBodySchema,
            response: { 200: AddonWriteResultSchema },
          },
        },
        async (req) => {
          const { project, env, name } = req.params
          return deps.addons.attach(ctxOf(req), project, env, name, req.body)
        },
      )
      app.post(
        `${base}/:name/rotate`,
        {
          schema: {
            tags,
            hide,
            params: AddonParamsSchema,
            response: { 200: AddonWriteResultSchema },
          },
        },
        async (req) => {
          const { project, env, name } = req.params
          return deps.addons.rotate(ctxOf(req), project, env, name)
        },
      )
      app.delete(
        `${base}/:name`,
        {
          schema: {
            tags,
            hide,
            params: AddonParamsSchema,
            querystring: DetachAddonQuerySchema,
            response: { 200: AddonWriteResultSchema },
          },
        },
        async (req) => {
          const { project, env, name } = req.params
          return deps.addons.detach(ctxOf(req), project, env, name, {
            dropDatabase: req.query.dropDatabase === 'true',
          })
        },
      )
    }
  }
}
