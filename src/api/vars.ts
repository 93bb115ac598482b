import { z } from 'zod'
import { KindSchema, VariableKeySchema } from './resources.ts'

/** Values: any UTF-8 text without NUL, multi-line allowed (PRODUCT.md §2.10); 64 KiB each. */
export const VariableValueSchema = z
  .string()
  .max(65_536)
  .refine((v) => !v.includes('\u0000'), 'must not contain a NUL character')

export const VarSchema = z.object({
  key: z.string(),
  kind: z.enum(['config', 'secret', 'system']),
  value: z.string().optional(),
  preview: z.string().optional(),
  system: z.boolean().optional(),
  /** The add-on managing this system variable (e.g. `postgres`). */
  addon: z.string().optional(),
  updatedAt: z.string().optional(),
  updatedBy: z.string().optional(),
})

export const VarListSchema = z.object({
  vars: z.array(VarSchema),
  count: z.number().int(),
  revision: z.number().int(),
  redeployRequired: z.boolean(),
  warnings: z.array(z.string()).optional(),
})

export const PutVarBodySchema = z.object({
  key: VariableKeySchema,
  value: VariableValueSchema,
  kind: KindSchema.optional(),
})

export const PutVarResultSchema = z.object({
  key: z.string(),
  kind: KindSchema,
  value: z.string().optional(),
  preview: z.string().optional(),
  revision: z.number().int(),
  warnings: z.array(z.string()),
  redeployRequired: z.boolean(),
})

export const PatchVarsBodySchema = z.object({
  env: z.record(VariableKeySchema, VariableValueSchema),
  secrets: z.array(VariableKeySchema).optional(),
  replace: z.boolean().optional(),
})

export const DeleteVarsBodySchema = z.object({ keys: z.array(VariableKeySchema).min(1).max(1000) })

export const DeleteResultSchema = z.object({
  removed: z.array(z.string()),
  notFound: z.array(z.string()),
  revision: z.number().int(),
  redeployRequired: z.boolean(),
})

export const RevealResultSchema = z.object({ key: z.string(), value: z.string() })

export const RevisionSchema = z.object({
  id: z.string(),
  number: z.number().int(),
  author: z.string(),
  createdAt: z.string(),
  changedKeys: z.array(z.string()),
  message: z.string().nullable(),
})

export const RevisionListSchema = z.object({ revisions: z.array(RevisionSchema) })

/** A masked diff: key names only, never a secret value; config values shown before/after. */
const DiffEntries = {
  added: z.array(z.object({ key: z.string(), kind: KindSchema, value: z.string().optional() })),
  removed: z.array(z.object({ key: z.string(), kind: KindSchema })),
  changed: z.array(
    z.object({
      key: z.string(),
      kind: KindSchema,
      before: z.string().optional(),
      after: z.string().optional(),
      kindChanged: z.boolean().optional(),
    }),
  ),
}
export const DiffSchema = z.object({
  from: z.number().int(),
  to: z.number().int(),
  ...DiffEntries,
})

/** `GET /v1/projects/{p}/compare?from=staging&to=production`. */
export const CompareQuerySchema = z.object({
  from: z.string().min(1).max(64),
  to: z.string().min(1).max(64),
})
export const CompareSchema = z.object({
  from: z.string(),
  to: z.string(),
  fromRevision: z.number().int(),
  toRevision: z.number().int(),
  ...DiffEntries,
  /** Secrets whose values are equal in both environments (names only). */
  identicalSecrets: z.array(z.string()),
})
