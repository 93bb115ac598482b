import { z } from 'zod'
import { EnvironmentParamsSchema } from './common.ts'
import { VariableKeySchema } from './resources.ts'

export const ReleaseParamsSchema = EnvironmentParamsSchema.extend({
  release: z.string().min(1).max(100).describe('A release id, its number, or `latest`'),
})

export const CreateReleaseBodySchema = z
  .object({ message: z.string().max(500).optional() })
  .nullish()

export const ReleaseSchema = z.object({
  id: z.string(),
  number: z.number().int(),
  revision: z.number().int(),
  projectRevision: z.number().int(),
  status: z.enum(['pending', 'active', 'superseded', 'failed']),
  deployId: z.string(),
  author: z.string(),
  createdAt: z.string(),
})

export const ReleaseListSchema = z.object({ releases: z.array(ReleaseSchema) })

export const ReleaseEnvQuerySchema = z.object({
  format: z
    .enum(['json', 'dotenv', 'shell', 'yaml', 'docker', 'systemd', 'k8s', 'kamal'])
    .optional(),
})

export const ReleaseEnvSchema = z.object({
  release: ReleaseSchema,
  env: z.record(z.string(), z.string()),
})

export const RollbackBodySchema = z
  .object({
    release: z.union([z.number().int().min(1), z.string().min(1)]).optional(),
  })
  .nullish()

export const UpdateEnvironmentBodySchema = z.object({
  autoDeploy: z.boolean().optional(),
  requiredKeys: z.array(VariableKeySchema).max(1000).optional(),
})

export const UpdateProjectBodySchema = z.object({
  name: z.string().min(1).max(200).optional(),
  requiredKeys: z.array(VariableKeySchema).max(1000).optional(),
})

export const CreatePreviewBodySchema = z.object({
  slug: z.string().regex(/^[a-z0-9][a-z0-9-]{0,62}$/, 'must be lower-case letters, digits, dashes'),
  parent: z.string().min(1).max(100),
  overrides: z.record(VariableKeySchema, z.string().max(65_536)).optional(),
  ttl: z.string().optional(),
  url: z.url().optional(),
  /** Use the parent's postgres add-on database instead of a fork of it. */
  shareDatabase: z.boolean().optional(),
})
