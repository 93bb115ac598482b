import type { FastifyRequest } from 'fastify'
import { EnvironmentParamsSchema } from '../../api/common.ts'
import {
  CreateReleaseBodySchema,
  ReleaseEnvQuerySchema,
  ReleaseEnvSchema,
  ReleaseListSchema,
  ReleaseParamsSchema,
  ReleaseSchema,
  RollbackBodySchema,
} from '../../api/releases.ts'
import { can } from '../../core/actor.ts'
import { exportEnv } from '../../core/export/index.ts'
import { AppError } from '../../core/errors.ts'
import type { Target } from '../../services/projects/targets.ts'
import type { ReleaseService } from '../../services/releases/release-service.ts'
import type { ReleaseMeta } from '../../storage/store.ts'
import type { TresorApp } from '../build-server.ts'
import { ctxOf, PROJECT_PREFIXES, type RouteDeps } from './route-deps.ts'
import { envTarget } from './vars.ts'

/** A release on the wire: numbers, status, ids; never a value. */
export function releaseBody(r: ReleaseMeta) {
  return {
    id: r.id,
    number: r.number,
    revision: r.envRevision,
    projectRevision: r.projectRevision,
    status: r.status,
    deployId: r.deployId,
    author: r.authorId,
    createdAt: r.createdAt,
  }
}

// Release metadata (numbers, ids, status; never a value) is for deployers too: a deploy-only
// token (`tresor run --follow`) looks up the latest release before fetching its environment.
const metaAction = (req: FastifyRequest) => {
  const { actor } = ctxOf(req)
  return !can(actor, 'read') && can(actor, 'deploy') ? 'deploy' : 'read'
}

/** The release before the current one: what `rollback` without a number goes back to. */
async function previousRelease(releases: ReleaseService, t: Target): Promise<number> {
  const current = t.env?.currentReleaseId ? await releases.find(t, 'latest') : undefined
  if (current === undefined || current.number < 2) {
    throw new AppError('NOT_FOUND', 'there is no earlier release to roll back to; name one', [
      { field: 'release', message: 'no earlier release' },
    ])
  }
  return current.number - 1
}

/** Releases (deploys): create, list, get, the resolved environment (deploy scope), rollback. */
export function releaseRoutes(deps: RouteDeps & { releases: ReleaseService }) {
  const target = envTarget(deps)
  const tags = ['releases']
  return (app: TresorApp) => {
    for (const prefix of PROJECT_PREFIXES) {
      const hide = prefix.startsWith('/v1/repos')
      const base = `${prefix}/environments/:env`
      app.post(
        `${base}/releases`,
        {
          schema: {
            tags,
            hide,
            params: EnvironmentParamsSchema,
            body: CreateReleaseBodySchema,
            response: { 201: ReleaseSchema },
          },
        },
        async (req, reply) => {
          const row = await deps.releases.create(
            await target(req, 'deploy'),
            ctxOf(req),
            req.body?.message,
          )
          return reply.code(201).send(releaseBody(row))
        },
      )
      app.get(
        `${base}/releases`,
        {
          schema: {
            tags,
            hide,
            params: EnvironmentParamsSchema,
            response: { 200: ReleaseListSchema },
          },
        },
        async (req) => {
          return {
            releases: (await deps.releases.list(await target(req, metaAction(req)))).map(
              releaseBody,
            ),
          }
        },
      )
      app.get(
        `${base}/releases/:release`,
        { schema: { tags, hide, params: ReleaseParamsSchema, response: { 200: ReleaseSchema } } },
        async (req) => {
          return releaseBody(
            await deps.releases.find(await target(req, metaAction(req)), req.params.release),
          )
        },
      )
      app.get(
        `${base}/releases/:release/env`,
        {
          schema: {
            tags,
            hide,
            params: ReleaseParamsSchema,
            querystring: ReleaseEnvQuerySchema,
            response: { 200: ReleaseEnvSchema },
          },
        },
        async (req, reply) => {
          const t = await target(req, 'deploy')
          const { release, env } = await deps.releases.resolvedEnv(
            t,
            ctxOf(req),
            req.params.release,
          )
          const format = req.query.format ?? 'json'
          if (format !== 'json') {
            const text = exportEnv(format, env, {
              project: t.project.slug,
              environment: t.env?.slug ?? '',
            })
            // Exporter text bypasses the JSON response schema, which describes the json format only.
            return reply
              .type('text/plain; charset=utf-8')
              .serializer(String)
              .send(text as never)
          }
          return { release: releaseBody(release), env: Object.fromEntries(env) }
        },
      )
      app.post(
        `${base}/rollback`,
        {
          schema: {
            tags,
            hide,
            params: EnvironmentParamsSchema,
            body: RollbackBodySchema,
            response: { 201: ReleaseSchema },
          },
        },
        async (req, reply) => {
          const t = await target(req, 'write')
          const ref = req.body?.release ?? (await previousRelease(deps.releases, t))
          const row = await deps.releases.rollback(t, ctxOf(req), String(ref))
          return reply.code(201).send(releaseBody(row))
        },
      )
    }
  }
}
