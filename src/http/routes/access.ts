import { z } from 'zod'
import { AuditListSchema, AuditQuerySchema, AuditVerifySchema } from '../../api/audit.ts'
import {
  CreatedTokenSchema,
  CreateMemberBodySchema,
  CreateTokenBodySchema,
  MemberListSchema,
  MemberSchema,
  TokenListSchema,
  UpdateMemberBodySchema,
  WhoamiSchema,
} from '../../api/tokens.ts'
import { assertCan } from '../../core/actor.ts'
import { listAudit, verifyWorkspaceAudit } from '../../services/audit/audit-service.ts'
import { resolveEnvironment, resolveProject } from '../../services/projects/targets.ts'
import type { MemberService } from '../../services/members/member-service.ts'
import type { TokenRow } from '../../storage/store.ts'
import type { TresorApp } from '../build-server.ts'
import { ctxOf, type RouteDeps } from './route-deps.ts'

const IdParams = z.object({ id: z.string().min(1).max(100) })

function tokenInfo(t: TokenRow) {
  const { tokenHash: _hash, workspaceId: _ws, ...info } = t
  return info
}

/** Tokens, members, whoami and the audit log. */
export function accessRoutes(deps: RouteDeps & { members: MemberService }) {
  return (app: TresorApp) => {
    app.get(
      '/v1/whoami',
      { schema: { tags: ['tokens'], response: { 200: WhoamiSchema } } },
      (req) => {
        const { actor } = ctxOf(req)
        return {
          workspaceId: actor.workspaceId,
          actor: { kind: actor.kind, id: actor.id },
          memberId: actor.memberId ?? null,
          role: actor.role ?? null,
          tokenId: actor.tokenId,
          scopes: [...actor.scopes],
        }
      },
    )
    app.post(
      '/v1/tokens',
      {
        schema: {
          tags: ['tokens'],
          body: CreateTokenBodySchema,
          response: { 201: CreatedTokenSchema },
        },
      },
      async (req, reply) => {
        return reply.code(201).send(await deps.tokens.create(ctxOf(req), req.body))
      },
    )
    app.get(
      '/v1/tokens',
      { schema: { tags: ['tokens'], response: { 200: TokenListSchema } } },
      async (req) => {
        return { tokens: (await deps.tokens.list(ctxOf(req))).map(tokenInfo) }
      },
    )
    app.delete(
      '/v1/tokens/:id',
      {
        schema: {
          tags: ['tokens'],
          params: IdParams,
          response: { 200: TokenListSchema.shape.tokens.element },
        },
      },
      async (req) => {
        return tokenInfo(await deps.tokens.revoke(ctxOf(req), req.params.id))
      },
    )
    app.get(
      '/v1/members',
      { schema: { tags: ['members'], response: { 200: MemberListSchema } } },
      async (req) => {
        return { members: await deps.members.list(ctxOf(req)) }
      },
    )
    app.post(
      '/v1/members',
      {
        schema: {
          tags: ['members'],
          body: CreateMemberBodySchema,
          response: { 201: MemberSchema },
        },
      },
      async (req, reply) => {
        return reply.code(201).send(await deps.members.create(ctxOf(req), req.body))
      },
    )
    app.patch(
      '/v1/members/:id',
      {
        schema: {
          tags: ['members'],
          params: IdParams,
          body: UpdateMemberBodySchema,
          response: { 200: MemberSchema },
        },
      },
      async (req) => {
        return deps.members.update(ctxOf(req), req.params.id, req.body)
      },
    )
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
        const projectId =
          q.project === undefined
            ? undefined
            : (await resolveProject(deps.store, ctx, q.project, 'read')).id
        const environmentId =
          q.env === undefined || q.project === undefined
            ? undefined
            : ((await resolveEnvironment(deps.store, ctx, q.project, q.env, 'read')).scope
                .environmentId ?? undefined)
        const events = await listAudit(deps.store, ctx.actor.workspaceId, {
          ...(projectId === undefined ? {} : { projectId }),
          ...(environmentId === undefined ? {} : { environmentId }),
          ...(q.actor === undefined ? {} : { actorId: q.actor }),
          ...(q.action === undefined ? {} : { action: q.action }),
          ...(q.since === undefined ? {} : { since: q.since }),
          ...(q.until === undefined ? {} : { until: q.until }),
          ...(q.before === undefined ? {} : { beforeSeq: q.before }),
          limit: q.limit ?? 100,
        })
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
}
