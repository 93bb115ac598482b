import type { FastifyRequest } from 'fastify'
import type { Action } from '../../core/actor.ts'
import { VariableKeySchema } from '../../api/resources.ts'
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

// The bodies of the hot routes are built field by field by the variable service (no row or value
// can add a member): they skip the zod encode pass, which on a PUT cost more than the whole
// stringify. The schemas still document and type-check the shapes.
const plainJson = () => (data: unknown) => JSON.stringify(data)

function withoutPreviews<T extends { vars: ReadonlyArray<{ preview?: string }> }>(list: T): T {
  return { ...list, vars: list.vars.map(({ preview: _preview, ...rest }) => rest) }
}

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
  // The key in the path follows the key rule, so that a problem may name it safely.
  const keyParams = params.extend({ key: VariableKeySchema })
  const tags = [base.includes(':env') ? 'variables' : 'shared variables']
  const { variables } = deps
  app.get(
    `${base}/vars`,
    {
      schema: { tags, hide, params, response: { 200: VarListSchema } },
      // The hottest route: skipping the zod encode pass saves ~40% of a list's serialization.
      serializerCompiler: plainJson,
    },
    async (req, reply) => {
      const list = await variables.list(await target(req, 'read'))
      // Agent tokens get names and kinds of secrets, not even their previews (a fresh copy:
      // the listing may be shared from the cache).
      const shownList = ctxOf(req).actor.agent === true ? withoutPreviews(list) : list
      return reply.header('etag', `"${list.revision}"`).send(shownList)
    },
  )
  app.put(
    `${base}/vars`,
    {
      schema: { tags, hide, params, body: PutVarBodySchema, response: { 200: PutVarResultSchema } },
      serializerCompiler: plainJson,
    },
    async (req, reply) => {
      const out = await variables.set(
        await target(req, 'write'),
        ctxOf(req),
        req.body,
        commitOptsOf(req),
      )
      return reply.header('etag', `"${out.revision}"`).send(out)
    },
  )
  app.patch(
    `${base}/vars`,
    { schema: { tags, hide, params, body: PatchVarsBodySchema, response: { 200: VarListSchema } } },
    async (req, reply) => {
      const out = await variables.patch(
        await target(req, 'write'),
        ctxOf(req),
        req.body,
        commitOptsOf(req),
      )
      return reply.header('etag', `"${out.revision}"`).send(out)
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
    async (req, reply) => {
      const out = await variables.remove(
        await target(req, 'write'),
        ctxOf(req),
        req.body.keys,
        commitOptsOf(req),
      )
      return reply.header('etag', `"${out.revision}"`).send(out)
    },
  )
  app.delete(
    `${base}/vars/:key`,
    { schema: { tags, hide, params: keyParams, response: { 200: DeleteResultSchema } } },
    async (req, reply) => {
      const out = await variables.remove(
        await target(req, 'write'),
        ctxOf(req),
        [req.params.key],
        commitOptsOf(req),
      )
      return reply.header('etag', `"${out.revision}"`).send(out)
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
