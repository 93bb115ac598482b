import { z } from 'zod'

export const AuditQuerySchema = z.object({
  project: z.string().optional(),
  env: z.string().optional(),
  actor: z.string().optional(),
  action: z.string().optional(),
  since: z.iso.datetime().optional(),
  until: z.iso.datetime().optional(),
  limit: z.coerce.number().int().min(1).max(1000).optional(),
  before: z.coerce.number().int().min(1).optional(),
})

export const AuditEventSchema = z.object({
  id: z.string(),
  seq: z.number().int(),
  at: z.string(),
  actorId: z.string(),
  actorKind: z.string(),
  action: z.string(),
  projectId: z.string().nullable(),
  environmentId: z.string().nullable(),
  keys: z.array(z.string()),
  outcome: z.string(),
  ip: z.string().nullable(),
  requestId: z.string().nullable(),
  detail: z.record(z.string(), z.unknown()),
  hash: z.string(),
})

export const AuditListSchema = z.object({ events: z.array(AuditEventSchema) })

export const AuditVerifySchema = z.object({
  ok: z.boolean(),
  count: z.number().int(),
  brokenAt: z.number().int().optional(),
  reason: z.string().optional(),
})
