import { z } from 'zod'
import { EnvironmentParamsSchema, ProjectParamsSchema } from '../../api/common.ts'
import {
  CreateEnvironmentBodySchema,
  CreateProjectBodySchema,
  EnvironmentListSchema,
  EnvironmentSchema,
  ProjectListSchema,
  ProjectSchema,
} from '../../api/resources.ts'
import type { RedeployStatus } from '../../services/projects/redeploy.ts'
import type { EnvironmentRow, ProjectRow } from '../../storage/store.ts'
import type { TresorApp } from '../build-server.ts'
import { ctxOf, PROJECT_PREFIXES, type RouteDeps } from './route-deps.ts'

const tags = ['projects']

function projectBody(project: ProjectRow, envs: readonly EnvironmentRow[]) {
  return {
    id: project.id,
    slug: project.slug,
    name: project.name,
    environments: envs.map((e) => ({ id: e.id, slug: e.slug })),
    requiredKeys: project.requiredKeys,
    createdAt: project.createdAt,
  }
}

/** An environment on the wire, with its redeploy status. */
export function environmentBody(env: EnvironmentRow, status: RedeployStatus) {
  return {
    id: env.id,
    slug: env.slug,
    projectId: env.projectId,
    parentId: env.parentId,
    expiresAt: env.expiresAt,
    autoDeploy: env.autoDeploy,
    requiredKeys: env.requiredKeys,
    revision: env.headRevision,
    redeployRequired: status.redeployRequired,
    changedKeys: status.changedKeys,
    currentRelease: status.currentRelease,
    createdAt: env.createdAt,
  }
}

/** Projects and environments: create, list, get, delete (also under `/v1/repos`). */
export function projectRoutes(deps: RouteDeps) {
  return (app: TresorApp) => {
    app.post(
      '/v1/projects',
      { schema: { tags, body: CreateProjectBodySchema, response: { 201: ProjectSchema } } },
      async (req, reply) => {
        const { project, envs } = await deps.projects.create(ctxOf(req), req.body)
        return reply.code(201).send(projectBody(project, envs))
      },
    )
    app.get(
      '/v1/projects',
      { schema: { tags, response: { 200: ProjectListSchema } } },
      async (req) => {
        const all = await deps.projects.list(ctxOf(req))
        return { projects: all.map(({ project, envs }) => projectBody(project, envs)) }
      },
    )
    for (const prefix of PROJECT_PREFIXES) {
      const hide = prefix.startsWith('/v1/repos')
      app.get(
        prefix,
        { schema: { tags, hide, params: ProjectParamsSchema, response: { 200: ProjectSchema } } },
        async (req) => {
          const { project, envs } = await deps.projects.get(ctxOf(req), req.params.project)
          return projectBody(project, envs)
        },
      )
      app.delete(
        prefix,
        { schema: { tags, hide, params: ProjectParamsSchema, response: { 204: z.null() } } },
        async (req, reply) => {
          await deps.projects.remove(ctxOf(req), req.params.project)
          return reply.code(204).send(null)
        },
      )
      app.post(
        `${prefix}/environments`,
        {
          schema: {
            tags,
            hide,
            params: ProjectParamsSchema,
            body: CreateEnvironmentBodySchema,
            response: { 201: EnvironmentSchema },
          },
        },
        async (req, reply) => {
          const env = await deps.projects.createEnvironment(
            ctxOf(req),
            req.params.project,
            req.body,
          )
          return reply.code(201).send(
            environmentBody(env, {
              redeployRequired: false,
              changedKeys: [],
              currentRelease: null,
            }),
          )
        },
      )
      app.get(
        `${prefix}/environments`,
        {
          schema: {
            tags,
            hide,
            params: ProjectParamsSchema,
            response: { 200: EnvironmentListSchema },
          },
        },
        async (req) => {
          const list = await deps.projects.listEnvironments(ctxOf(req), req.params.project)
          return { environments: list.map(({ env, status }) => environmentBody(env, status)) }
        },
      )
      app.get(
        `${prefix}/environments/:env`,
        {
          schema: {
            tags,
            hide,
            params: EnvironmentParamsSchema,
            response: { 200: EnvironmentSchema },
          },
        },
        async (req) => {
          const { env, status } = await deps.projects.getEnvironment(
            ctxOf(req),
            req.params.project,
            req.params.env,
          )
          return environmentBody(env, status)
        },
      )
      app.delete(
        `${prefix}/environments/:env`,
        { schema: { tags, hide, params: EnvironmentParamsSchema, response: { 204: z.null() } } },
        async (req, reply) => {
          await deps.projects.removeEnvironment(ctxOf(req), req.params.project, req.params.env)
          return reply.code(204).send(null)
        },
      )
    }
  }
}
