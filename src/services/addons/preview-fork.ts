import type { AddonRow, EnvironmentRow } from '../../storage/store.ts'
import type { RequestContext } from '../context.ts'
import type { AddonVars } from '../documents/document-state.ts'
import { namesOf, type AddonDeps } from './addon-service.ts'
import type { PreviewAddons } from '../previews/preview-service.ts'
import { namesFor, type DatabaseNames } from './pg-identifiers.ts'

/**
 * The add-ons a new preview starts with: the parent's postgres database forked (its own role, no
 * right on the parent's) unless `shareDatabase`; every other add-on copied as the parent has it.
 */
export async function previewAddons(
  deps: Pick<AddonDeps, 'store' | 'postgres'>,
  ctx: RequestContext,
  parent: EnvironmentRow,
  parentAddons: readonly AddonVars[],
  preview: EnvironmentRow,
  shareDatabase: boolean,
): Promise<PreviewAddons> {
  const rows = await deps.store.addons.list(parent.workspaceId, parent.id)
  const at = new Date().toISOString()
  const out: PreviewAddons = { addons: [], rows: [], warnings: [], undo: async () => {} }
  for (const addon of parentAddons) {
    const row = rows.find((r) => r.name === addon.name)
    const parentNames = row === undefined ? undefined : namesOf(row)
    const base: AddonRow = {
      workspaceId: preview.workspaceId,
      projectId: preview.projectId,
      environmentId: preview.id,
      name: addon.name,
      mode: 'shared',
      keys: addon.vars.map((v) => v.key),
      databaseName: null,
      roleName: null,
      parentEnvironmentId: parent.id,
      createdBy: ctx.actor.id,
      createdAt: at,
      updatedAt: at,
    }
    if (addon.name !== 'postgres' || parentNames === undefined) {
      out.addons.push(addon)
      out.rows.push(base)
      continue
    }
    const why = sharedReason(shareDatabase, deps.postgres === undefined)
    if (why !== undefined || deps.postgres === undefined) {
      out.addons.push(addon)
      out.rows.push(base)
      out.database = { mode: 'shared', reason: why ?? '' }
      out.warnings.push(`database: shared with ${parent.slug}: ${why ?? ''}`)
      continue
    }
    const { provisioner, prefix } = deps.postgres
    const names: DatabaseNames = namesFor(prefix, preview.id)
    const fork = await provisioner.fork(parentNames, names)
    out.undo = () => provisioner.drop(names)
    out.addons.push({
      name: addon.name,
      vars: addon.vars.map((v) => (v.key === 'DATABASE_URL' ? { ...v, value: fork.url } : v)),
    })
    out.rows.push({ ...base, mode: 'forked', databaseName: names.database, roleName: names.role })
    out.database = { mode: fork.mode, reason: fork.reason }
    out.warnings.push(
      `database: ${names.database} forked from ${parent.slug}'s (${fork.mode}): ${fork.reason}`,
    )
  }
  return out
}

function sharedReason(shareDatabase: boolean, noProvisioner: boolean): string | undefined {
  if (shareDatabase)
    return "shareDatabase was requested: the preview uses the parent's database, and its writes and migrations reach the parent's data"
  if (noProvisioner)
    return "this server has no postgres add-on admin URL (TRESOR_ADDON_POSTGRES_ADMIN_URL), so it cannot fork: the preview uses the parent's database"
  return undefined
}
