import { z } from 'zod'
import { EnvironmentParamsSchema, ProjectParamsSchema } from '../../api/common.ts'
import {
  CompareQuerySchema,
  CompareSchema,
  DiffSchema,
  RevisionListSchema,
  VarListSchema,
} from '../../api/vars.ts'
import { diffVariables } from '../../core/diff.ts'
import type { DocState } from '../../services/documents/document-state.ts'
import { resolveEnvironment } from '../../services/projects/targets.ts'
import { maskedText, putDocumentText } from '../../services/variables/document-text.ts'
import type { TresorApp } from '../build-server.ts'
import { commitOptsOf, ctxOf, PROJECT_PREFIXES, type RouteDeps } from './route-deps.ts'
import { envTarget, sharedTarget, type TargetResolver } from './vars.ts'

const DocumentQuerySchema = z.object({
  replace: z.enum(['true', 'false']).optional(),
  skipReserved: z.enum(['true', 'false']).optional(),
})
const RevisionQuerySchema = z.object({
  limit: z.coerce.number().int().min(1).max(1000).optional(),
  before: z.coerce.number().int().min(1).optional(),
})
const DiffQuerySchema = z.object({
  from: z.coerce.number().int().min(0),
  to: z.coerce.number().int().min(0).optional(),
})
const TextSchema = z.string().describe('dotenv text')

const sideOf = (s: DocState) => ({
  values: s.values,
  kinds: new Map([...s.meta].map(([k, m]) => [k, m.kind])),
})

function register(
  app: TresorApp,
  deps: RouteDeps,
  base: string,
  target: TargetResolver,
  hide: boolean,
) {
  const params = base.includes(':env') ? EnvironmentParamsSchema : ProjectParamsSchema
  const tags = ['documents']
  app.get(
    `${base}/document`,
    {
      schema: {
        tags,
        hide,
        params,
        response: {
          200: {
            description: 'The document, each secret masked as `KEY=<preview> # secret`',
            content: { 'text/plain': { schema: TextSchema } },
          },
        },
      },
    },
    async (req, reply) => {
      const state = await deps.documents.read((await target(req, 'read')).scope)
      return reply
        .header('etag', `"${state.revision}"`)
        .type('text/plain; charset=utf-8')
        .send(maskedText(state))
    },
  )
  app.put(
    `${base}/document`,
    {
      schema: {
        tags,
        hide,
        params,
        querystring: DocumentQuerySchema,
        consumes: ['text/plain'],
        body: TextSchema,
        response: { 200: VarListSchema },
      },
    },
    async (req, reply) => {
      const t = await target(req, 'write')
      const out = await putDocumentText(deps.documents, t, ctxOf(req), req.body, {
        ...commitOptsOf(req),
        replace: req.query.replace === 'true',
        skipReserved: req.query.skipReserved === 'true',
      })
      const list = await deps.variables.listAfterWrite(t, out.state)
      return reply
        .header('etag', `"${out.state.revision}"`)
        .send({ ...list, warnings: out.warnings })
    },
  )
  app.get(
    `${base}/revisions`,
    {
      schema: {
        tags,
        hide,
        params,
        querystring: RevisionQuerySchema,
        response: { 200: RevisionListSchema },
      },
    },
    async (req) => {
      const { scope } = await target(req, 'read')
      const rows = await deps.store.revisions.list(scope, {
        limit: req.query.limit ?? 100,
        ...(req.query.before === undefined ? {} : { beforeNumber: req.query.before }),
      })
      return {
        revisions: rows.map((r) => ({
          id: r.id,
          number: r.number,
          author: r.authorId,
          createdAt: r.createdAt,
          changedKeys: r.changedKeys,
          message: r.message,
        })),
      }
    },
  )
  app.get(
    `${base}/diff`,
    { schema: { tags, hide, params, querystring: DiffQuerySchema, response: { 200: DiffSchema } } },
    async (req) => {
      const { scope } = await target(req, 'read')
      const to =
        req.query.to === undefined
          ? await deps.documents.read(scope)
          : await deps.documents.readAt(scope, req.query.to)
      const from = await deps.documents.readAt(scope, req.query.from)
      return { from: from.revision, to: to.revision, ...diffVariables(sideOf(from), sideOf(to)) }
    },
  )
}

/**
 * Two environments of a project compared on the server, where both documents can be opened: the
 * masked diff (config values shown, secrets only named), plus the secrets whose values are the
 * same on both sides (a production secret reused in staging is worth knowing about).
 */
function registerCompare(app: TresorApp, deps: RouteDeps, prefix: string, hide: boolean) {
  app.get(
    `${prefix}/compare`,
    {
      schema: {
        tags: ['documents'],
        hide,
        params: ProjectParamsSchema,
        querystring: CompareQuerySchema,
        response: { 200: CompareSchema },
      },
    },
    async (req) => {
      const ctx = ctxOf(req)
      const { project } = req.params
      const [a, b] = await Promise.all([
        resolveEnvironment(deps.store, ctx, project, req.query.from, 'read'),
        resolveEnvironment(deps.store, ctx, project, req.query.to, 'read'),
      ])
      const [from, to] = await Promise.all([
        deps.documents.read(a.scope),
        deps.documents.read(b.scope),
      ])
      const identicalSecrets: string[] = []
      for (const [key, value] of to.values) {
        const secret = (s: DocState) => s.meta.get(key)?.kind === 'secret'
        if (secret(from) && secret(to) && from.values.get(key) === value) identicalSecrets.push(key)
      }
      return {
        from: a.env?.slug ?? req.query.from,
        to: b.env?.slug ?? req.query.to,
        fromRevision: from.revision,
        toRevision: to.revision,
        ...diffVariables(sideOf(from), sideOf(to)),
        identicalSecrets: identicalSecrets.sort(),
      }
    },
  )
}

/** The document as dotenv text (GET masked, PUT merge or replace), revisions and masked diffs. */
export function documentRoutes(deps: RouteDeps) {
  return (app: TresorApp) => {
    for (const prefix of PROJECT_PREFIXES) {
      const hide = prefix.startsWith('/v1/repos')
      register(app, deps, `${prefix}/environments/:env`, envTarget(deps), hide)
      register(app, deps, prefix, sharedTarget(deps), hide)
      registerCompare(app, deps, prefix, hide)
    }
  }
}
