import { confirm } from '../input.ts'
import { UsageError } from '../errors.ts'
import type { Verb } from '../spec.ts'
import { checkKeys } from './shared.ts'

// `KEY=VALUE` overrides after the slug; errors name the argument's position, never its text.
function overridesOf(pairs: readonly string[]): Record<string, string> {
  const out: Record<string, string> = {}
  pairs.forEach((pair, i) => {
    const eq = pair.indexOf('=')
    if (eq <= 0) throw new UsageError(`argument ${i + 2} is not KEY=VALUE`)
    const key = pair.slice(0, eq)
    checkKeys([key], i + 2)
    if (Object.hasOwn(out, key)) throw new UsageError(`${key} is given more than once`)
    out[key] = pair.slice(eq + 1)
  })
  return out
}

/** `tresor previews`: the preview environments of a project, with parent and expiry. */
export const previews: Verb = async (ctx) => {
  const project = ctx.project()
  const client = ctx.client()
  const [out, all] = await Promise.all([
    client.previews.list(project),
    client.environments.list(project),
  ])
  const names = new Map(all.environments.map((e) => [e.id, e.slug]))
  return {
    json: out,
    table: {
      columns: ['PREVIEW', 'PARENT', 'EXPIRES', 'RELEASE', 'STATUS'],
      rows: out.environments.map((e) => [
        e.slug,
        e.parentId === null ? '-' : (names.get(e.parentId) ?? e.parentId),
        e.expiresAt ?? 'never',
        e.currentRelease === null ? '-' : String(e.currentRelease),
        e.redeployRequired ? 'redeploy required' : 'up to date',
      ]),
    },
    notes: out.environments.length === 0 ? [`No previews in ${project}.`] : [],
  }
}

/**
 * `tresor previews:create SLUG --parent ENV [K=V…]`: clones the parent as it is now, applies
 * the overrides (`${PREVIEW_URL}` in them becomes --preview-url) and sets PREVIEW_URL.
 */
export const previewsCreate: Verb = async (ctx) => {
  const [slug = '', ...pairs] = ctx.args
  const parent = ctx.flags.parent
  if (parent === undefined)
    throw new UsageError('--parent is required: the environment the preview is cloned from')
  const overrides = overridesOf(pairs)
  const project = ctx.project()
  const out = await ctx.client().previews.create(project, {
    slug,
    parent,
    ...(pairs.length === 0 ? {} : { overrides }),
    ...(ctx.flags.ttl === undefined ? {} : { ttl: ctx.flags.ttl }),
    ...(ctx.flags.previewUrl === undefined ? {} : { url: ctx.flags.previewUrl }),
  })
  const expires = out.expiresAt === null ? '' : `, expires ${out.expiresAt}`
  return {
    json: out,
    notes: [`Created preview ${project}/${out.slug} from ${parent}${expires}.`],
  }
}

/** `tresor previews:delete SLUG`: deletes a preview environment (never a regular one). */
export const previewsDelete: Verb = async (ctx) => {
  const slug = ctx.args[0] ?? ''
  const project = ctx.project()
  const client = ctx.client()
  const env = await client.environments.get(project, slug)
  if (env.parentId === null)
    throw new UsageError(
      `${project}/${env.slug} is not a preview; previews:delete removes previews only`,
    )
  await confirm(
    ctx.io,
    `Delete preview ${project}/${env.slug} and its variables?`,
    ctx.flags.yes === true,
  )
  await client.previews.remove(project, env.id)
  return {
    json: { deleted: env.slug, id: env.id },
    notes: [`Deleted preview ${project}/${env.slug}.`],
  }
}
