import { EXPORT_FORMATS, exportEnv, isExportFormat } from '../../core/export/index.ts'
import { UsageError } from '../errors.ts'
import type { Verb } from '../spec.ts'

/**
 * `tresor config:export --format F`: the config variables (never secrets: PRODUCT.md §2.4) as a
 * file on stdout, in document order, references as written.
 */
export const configExport: Verb = async (ctx) => {
  const format = ctx.flags.format ?? 'dotenv'
  if (!isExportFormat(format))
    throw new UsageError(`--format must be one of ${EXPORT_FORMATS.join(', ')}`)
  const target = ctx.target()
  const list = await ctx.client().vars.list(target)
  const entries: [string, string][] = []
  let secrets = 0
  for (const v of list.vars) {
    if (v.kind === 'config' && v.value !== undefined) entries.push([v.key, v.value])
    else if (v.kind === 'secret') secrets++
  }
  const text = exportEnv(format, entries, {
    project: target.project,
    environment: target.env,
    ...(ctx.flags.name === undefined ? {} : { name: ctx.flags.name }),
    ...(ctx.flags.namespace === undefined ? {} : { namespace: ctx.flags.namespace }),
  })
  const skipped =
    secrets === 0
      ? []
      : [`${secrets} secret${secrets === 1 ? '' : 's'} not exported (config only).`]
  return { text, notes: skipped }
}
