import { z } from 'zod'
import { VARIABLE_NAME_PATTERN } from '../core/variable-name.ts'
import { EnvironmentParamsSchema, SlugSchema } from './common.ts'

export const VariableKeySchema = z
  .string()
  .min(1)
  .max(256)
  .regex(VARIABLE_NAME_PATTERN, 'must match [A-Za-z_][A-Za-z0-9_.-]*')

export const KindSchema = z.enum(['config', 'secret'])
export type Kind = z.infer<typeof KindSchema>

export const TtlSchema = z
  .string()
  .regex(/^\d+[smhdw]$/, 'must be a number followed by s, m, h, d or w (e.g. 30d)')

export const EnvironmentSummarySchema = z.object({ id: z.string(), slug: SlugSchema })

export const CreateProjectBodySchema = z.object({
  slug: SlugSchema,
  name: z.string().min(1).max(200).optional(),
  environments: z.array(SlugSchema).max(50).optional(),
})

export const ProjectSchema = z.object({
  id: z.string(),
  slug: z.string(),
  name: z.string(),
  environments: z.array(EnvironmentSummarySchema),
  /** Keys every environment of the project must have before it can be released. */
  requiredKeys: z.array(z.string()),
  createdAt: z.string(),
})

export const ProjectListSchema = z.object({ projects: z.array(ProjectSchema) })

export const CreateEnvironmentBodySchema = z.object({
  slug: SlugSchema,
  parent: z.string().optional(),
  ttl: TtlSchema.optional(),
  autoDeploy: z.boolean().optional(),
  requiredKeys: z.array(VariableKeySchema).optional(),
})

export const EnvironmentSchema = z.object({
  id: z.string(),
  slug: z.string(),
  projectId: z.string(),
  parentId: z.string().nullable(),
  expiresAt: z.string().nullable(),
  autoDeploy: z.boolean(),
  requiredKeys: z.array(z.string()),
  revision: z.number().int(),
  redeployRequired: z.boolean(),
  changedKeys: z.array(z.string()),
  currentRelease: z.number().int().nullable(),
  createdAt: z.string(),
})

export const EnvironmentListSchema = z.object({ environments: z.array(EnvironmentSchema) })

export const KeyParamsSchema = EnvironmentParamsSchema.extend({ key: z.string().min(1).max(256) })
