import { AuditListSchema, AuditQuerySchema, AuditVerifySchema } from '../../api/audit.ts'
import { assertCan } from '../../core/actor.ts'
import { AppError } from '../../core/errors.ts'
import type { AuditQuery } from '../../storage/store.ts'
import { listAudit, verifyWorkspaceAudit } from '../../services/audit/audit-service.ts'
import type { RequestContext } from '../../services/context.ts'
import { resolveEnvironment, resolveProject } from '../../services/projects/targets.ts'
import type { TresorApp } from '../build-server.ts'
import { ctxOf, type RouteDeps } from './route-deps.ts'

// Times are stored as `toISOString()` text and compared as text: `10:00:00Z` or `10:00:00.5Z`
// must become `10:00:00.000Z` / `10:00:00.500Z` to compare right.
const storedTime = (iso: string): string => new Date(iso).toISOString()

type Query = { project?: string | undefined; env?: string | undefined }

// An environment slug only means something inside a project; an id is enough on its own.
async function placeFilter(deps: RouteDeps, ctx: RequestContext, q: Query) {
  if (q.project !== undefined) {
    const project = await resolveProject(deps.store, ctx, q.project, 'read')
    if (q.env === undefined) return { projectId: project.id }
    const t = await resolveEnvironment(deps.store, ctx, project.id, q.env, 'read')
    return { projectId: project.id, environmentId: t.scope.environmentId ?? '' }
  }
  if (q.env === undefined) return {}
  if (!q.env.includes('_'))
    throw new AppError('VALIDATION_FAILED', 'an environment slug needs a project', [
      { field: 'query.env', message: 'give project too, or an environment id' },
    ])
  const env = await deps.store.environments.get(ctx.actor.workspaceId, q.env)
  if (env === undefined) throw new AppError('NOT_FOUND', 'environment not found')
  const t = await resolveEnvironment(deps.store, ctx, env.projectId, env.id, 'read')
  return { environmentId: t.scope.environmentId ?? '' }
}

/** `GET /v1/audit` (filters: project, env, actor, action, since, until) and `/v1/audit/verify`. */
export function registerAuditRoutes(app: TresorApp, deps: RouteDeps): void {
  app.get(
    '/v1/audit',
    {
      schema: {
        tags: ['audit'],
        querystring: AuditQuerySchema,
        response: { 200: AuditListSchema },
      },
    },
    async (req) => {
      const ctx = ctxOf(req)
      assertCan(ctx.actor, 'admin')
      const q = req.query
      const query: AuditQuery = {
        ...(await placeFilter(deps, ctx, q)),
        ...(q.actor === undefined ? {} : { actorId: q.actor }),
        ...(q.action === undefined ? {} : { action: q.action }),
        ...(q.since === undefined ? {} : { since: storedTime(q.since) }),
        ...(q.until === undefined ? {} : { until: storedTime(q.until) }),
        ...(q.before === undefined ? {} : { beforeSeq: q.before }),
        limit: q.limit ?? 100,
      }
      const events = await listAudit(deps.store, ctx.actor.workspaceId, query)
      return { events: events.map(({ workspaceId: _ws, prevHash: _p, ...e }) => e) }
    },
  )
  app.get(
    '/v1/audit/verify',
    { schema: { tags: ['audit'], response: { 200: AuditVerifySchema } } },
    async (req) => {
      const ctx = ctxOf(req)
      assertCan(ctx.actor, 'admin')
      const v = await verifyWorkspaceAudit(deps.store, ctx.actor.workspaceId)
      return v.ok
        ? { ok: true, count: v.count }
        : { ok: false, count: v.seq - 1, brokenAt: v.seq, reason: v.reason }
    },
  )
}
