import { z } from 'zod'
import { TtlSchema } from './resources.ts'

export const SCOPES = ['read', 'write', 'secrets:reveal', 'deploy', 'admin'] as const
export const ScopeSchema = z.enum(SCOPES)

export const CreateTokenBodySchema = z.object({
  name: z.string().min(1).max(100),
  ttl: TtlSchema.or(z.literal('none'))
    .optional()
    .describe("How long the token works: default 30d; 'none' (never expires) only for the owner"),
  scopes: z.array(ScopeSchema).min(1),
  project: z.string().optional(),
  environments: z.array(z.string()).optional(),
  kind: z.enum(['pat', 'svc']).optional(),
  agent: z.boolean().optional().describe('Issue to an AI agent: never given secret values'),
})

export const CreatedTokenSchema = z.object({
  id: z.string(),
  token: z.string(),
  expiresAt: z.string().nullable(),
})

export const TokenInfoSchema = z.object({
  id: z.string(),
  name: z.string(),
  kind: z.enum(['pat', 'svc']),
  scopes: z.array(ScopeSchema),
  projectId: z.string().nullable(),
  environmentIds: z.array(z.string()).nullable(),
  expiresAt: z.string().nullable(),
  revokedAt: z.string().nullable(),
  lastUsedAt: z.string().nullable(),
  createdAt: z.string(),
  memberId: z.string().nullable(),
  agent: z.boolean(),
})

export const TokenListSchema = z.object({ tokens: z.array(TokenInfoSchema) })

export const RoleSchema = z.enum(['owner', 'admin', 'developer', 'viewer'])

const REVEAL_PRODUCTION = 'A developer may reveal production secrets (granted by an owner or admin)'

export const MemberSchema = z.object({
  id: z.string(),
  email: z.string(),
  name: z.string(),
  role: RoleSchema,
  disabled: z.boolean(),
  revealProduction: z.boolean().describe(REVEAL_PRODUCTION),
  createdAt: z.string(),
})

export const MemberListSchema = z.object({ members: z.array(MemberSchema) })

export const CreateMemberBodySchema = z.object({
  email: z.email(),
  name: z.string().min(1).max(200).optional(),
  role: RoleSchema.exclude(['owner']),
  revealProduction: z.boolean().optional().describe(REVEAL_PRODUCTION),
})

export const UpdateMemberBodySchema = z.object({
  role: RoleSchema.exclude(['owner']).optional(),
  disabled: z.boolean().optional(),
  revealProduction: z.boolean().optional().describe(REVEAL_PRODUCTION),
})

export const WhoamiSchema = z.object({
  workspaceId: z.string(),
  actor: z.object({ kind: z.enum(['member', 'token']), id: z.string() }),
  memberId: z.string().nullable(),
  role: RoleSchema.nullable(),
  tokenId: z.string(),
  scopes: z.array(ScopeSchema),
  revealProduction: z
    .boolean()
    .describe('The member holds the grant to reveal production secrets (only developers need it)'),
})
