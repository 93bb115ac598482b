import { z } from 'zod'
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
import type { MemberService } from '../../services/members/member-service.ts'
import type { TokenRow } from '../../storage/store.ts'
import type { TresorApp } from '../build-server.ts'
import { registerAuditRoutes } from './audit.ts'
import { ctxOf, type RouteDeps } from './route-deps.ts'

const IdParams = z.object({ id: z.string().min(1).max(100) })

function tokenInfo(t: TokenRow) {
  const { tokenHash: _hash, workspaceId: _ws, ...info } = t
  return info
}

/** Tokens, members, whoami and the audit log (see audit.ts). */
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
          revealProduction: actor.revealProduction === true,
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
    registerAuditRoutes(app, deps)
  }
}
