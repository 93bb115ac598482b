import { AppError } from '../../core/errors.ts'
import { UsageError } from '../errors.ts'
import { writeLink } from '../link-file.ts'
import type { Verb } from '../spec.ts'

/**
 * `tresor link -p P [-e E]`: checks the project (and environment) on the server, then writes
 * `.tresor.json` in the current folder. Without `-e`, `development` when the project has it.
 */
export const link: Verb = async (ctx) => {
  const wanted = ctx.flags.project
  if (wanted === undefined) throw new UsageError('give the project to link: tresor link -p PROJECT')
  const project = await ctx.client().projects.get(wanted)
  const slugs = project.environments.map((e) => e.slug)
  const asked = ctx.flags.env
  const env =
    asked === undefined
      ? slugs.includes('development')
        ? 'development'
        : undefined
      : project.environments.find((e) => e.slug === asked || e.id === asked)?.slug
  if (asked !== undefined && env === undefined)
    throw new AppError('NOT_FOUND', `environment '${asked}' not found in ${project.slug}`)
  const path = writeLink(ctx.io.cwd, {
    project: project.slug,
    ...(env === undefined ? {} : { env }),
  })
  return {
    notes: [
      `Linked ${path} to ${project.slug}${env === undefined ? '' : `/${env}`}.`,
      ...(env === undefined
        ? [`No default environment; pass -e (one of ${slugs.join(', ')}).`]
        : []),
    ],
  }
}
