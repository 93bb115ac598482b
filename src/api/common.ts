import { z } from 'zod'
import { ID_PREFIXES, type IdKind } from '../core/ids.ts'

export { ErrorCodeSchema, ErrorDetailSchema, ProblemSchema, problemType } from './errors.ts'
export type { Problem } from './errors.ts'

/** The slug rule of projects and environments: lowercase, digits and dashes, 1–63 characters. */
export const SLUG_PATTERN = /^[a-z0-9][a-z0-9-]{0,62}$/

export const SlugSchema = z
  .string()
  .regex(SLUG_PATTERN, {
    error: 'must be 1–63 lowercase letters, digits or dashes, starting with a letter or digit',
  })
  .describe('Lowercase slug such as `myapp` or `pr-42`')

/** The schema of one kind of id, such as `prj_…`. */
export function idSchema(kind: IdKind): z.ZodString {
  const prefix = ID_PREFIXES[kind]
  return z
    .string()
    .regex(new RegExp(`^${prefix}_[0-9a-hjkmnp-tv-z]{16}$`), { error: `must be a ${prefix}_ id` })
    .describe(`A ${kind} id (\`${prefix}_…\`)`)
}

/**
 * A path parameter naming a project or environment by id or by slug. Ids contain `_`, which no
 * slug can, so the two never collide.
 */
export const IdOrSlugSchema = z
  .string()
  .regex(/^([a-z0-9][a-z0-9-]{0,62}|[a-z]{2,4}_[0-9a-z]{16})$/, {
    error: 'must be an id or a slug',
  })
  .describe('An id (`prj_…`, `env_…`) or a slug')

/** `{project}` path parameter. */
export const ProjectParamsSchema = z.object({ project: IdOrSlugSchema })

/** `{project}/…/{env}` path parameters. */
export const EnvironmentParamsSchema = z.object({ project: IdOrSlugSchema, env: IdOrSlugSchema })

/** True when `value` is shaped like an id rather than a slug (ids contain `_`). */
export function looksLikeId(value: string): boolean {
  return value.includes('_')
}
