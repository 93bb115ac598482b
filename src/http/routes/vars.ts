import type { FastifyRequest } from 'fastify'
import { z } from 'zod'
import type { Action } from '../../core/actor.ts'
import { KeyParamsSchema } from '../../api/resources.ts'
import { EnvironmentParamsSchema, ProjectParamsSchema } from '../../api/common.ts'
import {
  DeleteResultSchema,
  DeleteVarsBodySchema,
  PatchVarsBodySchema,
  PutVarBodySchema,
  PutVarResultSchema,
  RevealResultSchema,
  VarListSchema,
} from '../../api/vars.ts'
import { resolveEnvironment, resolveShared, type Target } from '../../services/projects/targets.ts'
import type { TresorApp } from '../build-server.ts'
import { commitOptsOf, ctxOf, PROJECT_PREFIXES, type RouteDeps } from './route-deps.ts'

/** Resolves the document a request addresses, checking `action` on it. */
export type TargetResolver = (req: FastifyRequest, action: Action) => Promise<Target>

type Params = { project: string; env?: string }

/** An environment's variables: `…/environments/{env}/vars`. */
export function envTarget(deps: RouteDeps): TargetResolver {
  return (req, action) => {
    const p = req.params as Params
    return resolveEnvironment(deps.store, ctxOf(req), p.project, p.env ?? '', action)
  }
}

/** A project's shared variables: `/v1/projects/{project}/vars`. */
export function sharedTarget(deps: RouteDeps): TargetResolver {
  return (req, action) =>
    resolveShared(deps.store, ctxOf(req), (req.params as Params).project, action)
}

/** The variable routes, for one base path (an environment's or a project's shared document). */
export function registerVarRoutes(
  app: TresorApp,
  deps: RouteDeps,
  base: string,
  target: TargetResolver,
  hide: boolean,
) {
  const params = base.includes(':env') ? EnvironmentParamsSchema : ProjectParamsSchema
  const keyParams = base.includes(':env')
    ? KeyParamsSchema
    : ProjectParamsSchema.extend({ key: z.string().min(1).max(256) })
  const tags = [base.includes(':env') ? 'variables' : 'shared variables']
  const { variables } = deps
  app.get(
    `${base}/vars`,
    { schema: { tags, hide, params, response: { 200: VarListSchema } } },
    async (req, reply) => {
      const list = await variables.list(await target(req, 'read'))
      return reply.header('etag', `"${list.revision}"`).send(list)
    },
  )
  app.put(
    `${base}/vars`,
    {
      schema: { tags, hide, params, body: PutVarBodySchema, response: { 200: PutVarResultSchema } },
    },
    async (req) => {
      return variables.set(await target(req, 'write'), ctxOf(req), req.body, commitOptsOf(req))
    },
  )
  app.patch(
    `${base}/vars`,
    { schema: { tags, hide, params, body: PatchVarsBodySchema, response: { 200: VarListSchema } } },
    async (req) => {
      return variables.patch(await target(req, 'write'), ctxOf(req), req.body, commitOptsOf(req))
    },
  )
  app.delete(
    `${base}/vars`,
    {
      schema: {
        tags,
        hide,
        params,
        body: DeleteVarsBodySchema,
        response: { 200: DeleteResultSchema },
      },
    },
    async (req) => {
      return variables.remove(
        await target(req, 'write'),
        ctxOf(req),
        req.body.keys,
        commitOptsOf(req),
      )
    },
  )
  app.delete(
    `${base}/vars/:key`,
    { schema: { tags, hide, params: keyParams, response: { 200: DeleteResultSchema } } },
    async (req) => {
      return variables.remove(
        await target(req, 'write'),
        ctxOf(req),
        [req.params.key],
        commitOptsOf(req),
      )
    },
  )
  app.post(
    `${base}/vars/:key/reveal`,
    { schema: { tags, hide, params: keyParams, response: { 200: RevealResultSchema } } },
    async (req) => {
      return variables.reveal(await target(req, 'read'), ctxOf(req), req.params.key)
    },
  )
}

/** Variable routes of environments (also under `/v1/repos`) and of projects' shared documents. */
export function varRoutes(deps: RouteDeps) {
  return (app: TresorApp) => {
    for (const prefix of PROJECT_PREFIXES) {
      const hide = prefix.startsWith('/v1/repos')
      registerVarRoutes(app, deps, `${prefix}/environments/:env`, envTarget(deps), hide)
      registerVarRoutes(app, deps, prefix, sharedTarget(deps), hide)
    }
  }
}
