import { z } from 'zod'
import { EnvironmentParamsSchema } from './common.ts'
import { EnvironmentSchema, VariableKeySchema } from './resources.ts'
import { VariableValueSchema } from './vars.ts'

/** `{project}/environments/{env}/addons/{name}`. */
export const AddonParamsSchema = EnvironmentParamsSchema.extend({
  name: z.string().min(1).max(64),
})

/**
 * `PUT …/addons/{name}`: the add-on's variables (secrets unless named in `config`), or
 * `provision: true` for the built-in postgres add-on (Tresor makes a database and a role).
 */
export const AttachAddonBodySchema = z.object({
  vars: z.record(VariableKeySchema, VariableValueSchema).optional(),
  config: z.array(VariableKeySchema).optional(),
  provision: z.boolean().optional(),
})

export const DetachAddonQuerySchema = z.object({
  dropDatabase: z.enum(['true', 'false']).optional(),
})

/** An attached add-on: names only, never a value. */
export const AddonSchema = z.object({
  name: z.string(),
  mode: z.enum(['external', 'provisioned', 'forked', 'shared']),
  keys: z.array(z.string()),
  database: z.string().optional(),
  parentEnvironmentId: z.string().optional(),
  createdAt: z.string().optional(),
  updatedAt: z.string().optional(),
})

export const AddonListSchema = z.object({ addons: z.array(AddonSchema) })

/** The result of an attach, rotate or detach: the new revision, never a value. */
export const AddonWriteResultSchema = AddonSchema.extend({
  changedKeys: z.array(z.string()),
  revision: z.number().int(),
  redeployRequired: z.boolean(),
  droppedDatabase: z.boolean().optional(),
})

/** Which database a preview got: its own fork (template copy or dump) or the parent's. */
export const PreviewDatabaseSchema = z.object({
  mode: z.enum(['template', 'dump', 'shared']),
  reason: z.string(),
})

/** A created preview: the environment plus how its add-ons' database was made. */
export const PreviewCreatedSchema = EnvironmentSchema.extend({
  database: PreviewDatabaseSchema.optional(),
  warnings: z.array(z.string()),
})
