import type { Verb } from '../spec.ts'
import { UsageError } from '../errors.ts'
import { listKeys } from './shared.ts'

/** `tresor projects`: slug, id and environments of each project the token may see. */
export const projects: Verb = async (ctx) => {
  const out = await ctx.client().projects.list()
  return {
    json: out,
    table: {
      columns: ['PROJECT', 'ID', 'ENVIRONMENTS'],
      rows: out.projects.map((p) => [p.slug, p.id, p.environments.map((e) => e.slug).join(' ')]),
    },
  }
}

function splitList(text: string | undefined): string[] | undefined {
  if (text === undefined) return undefined
  const items = text
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '')
  if (items.length === 0) throw new UsageError('--envs needs at least one environment')
  return items
}

/** `tresor projects:create SLUG [--envs a,b]`. */
export const projectsCreate: Verb = async (ctx) => {
  const slug = ctx.args[0] ?? ''
  const environments = splitList(ctx.flags.envs)
  const out = await ctx.client().projects.create({
    slug,
    ...(environments === undefined ? {} : { environments }),
    ...(ctx.flags.name === undefined ? {} : { name: ctx.flags.name }),
  })
  const envs = out.environments.map((e) => e.slug)
  return { json: out, notes: [`Created project ${out.slug} (${out.id}) with ${listKeys(envs)}.`] }
}

/** `tresor envs`: each environment with its revision and whether it needs a redeploy. */
export const envs: Verb = async (ctx) => {
  const out = await ctx.client().environments.list(ctx.project())
  const byId = new Map(out.environments.map((e) => [e.id, e.slug]))
  return {
    json: out,
    table: {
      columns: ['ENV', 'REVISION', 'RELEASE', 'STATUS', 'PARENT', 'EXPIRES'],
      rows: out.environments.map((e) => [
        e.slug,
        String(e.revision),
        e.currentRelease === null ? '-' : String(e.currentRelease),
        e.redeployRequired ? 'redeploy required' : 'up to date',
        e.parentId === null ? '-' : (byId.get(e.parentId) ?? e.parentId),
        e.expiresAt ?? '-',
      ]),
    },
  }
}

/** `tresor envs:create SLUG [--parent ENV] [--ttl 7d]`. */
export const envsCreate: Verb = async (ctx) => {
  const slug = ctx.args[0] ?? ''
  const project = ctx.project()
  const out = await ctx.client().environments.create(project, {
    slug,
    ...(ctx.flags.parent === undefined ? {} : { parent: ctx.flags.parent }),
    ...(ctx.flags.ttl === undefined ? {} : { ttl: ctx.flags.ttl }),
  })
  const expires = out.expiresAt === null ? '' : `, expires ${out.expiresAt}`
  return { json: out, notes: [`Created environment ${project}/${out.slug} (${out.id})${expires}.`] }
}
