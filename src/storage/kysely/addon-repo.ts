import type { Kysely } from 'kysely'
import type { AddonMode, AddonReads, AddonRepo, AddonRow } from '../store.ts'
import { json, touched } from './codec.ts'
import type { AddonsTable, Database } from './schema.ts'

function toRow(r: AddonsTable): AddonRow {
  return {
    workspaceId: r.workspace_id,
    projectId: r.project_id,
    environmentId: r.environment_id,
    name: r.name,
    mode: r.mode as AddonMode,
    keys: json<string[]>(r.keys),
    databaseName: r.database_name,
    roleName: r.role_name,
    parentEnvironmentId: r.parent_environment_id,
    createdBy: r.created_by,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
  }
}

/** Add-on reads over `db`. */
export function addonReads(db: Kysely<Database>): AddonReads {
  const ofEnv = (workspaceId: string, environmentId: string) =>
    db
      .selectFrom('addons')
      .selectAll()
      .where('workspace_id', '=', workspaceId)
      .where('environment_id', '=', environmentId)
  return {
    async get(workspaceId, environmentId, name) {
      const r = await ofEnv(workspaceId, environmentId).where('name', '=', name).executeTakeFirst()
      return r && toRow(r)
    },
    async list(workspaceId, environmentId) {
      const rows = await ofEnv(workspaceId, environmentId).orderBy('name').execute()
      return rows.map(toRow)
    },
  }
}

/** Add-on reads and writes inside transaction `db`. */
export function addonRepo(db: Kysely<Database>): AddonRepo {
  const remove = async (workspaceId: string, environmentId: string, name: string) =>
    touched(
      await db
        .deleteFrom('addons')
        .where('workspace_id', '=', workspaceId)
        .where('environment_id', '=', environmentId)
        .where('name', '=', name)
        .executeTakeFirst(),
    )
  return {
    ...addonReads(db),
    async put(row) {
      await remove(row.workspaceId, row.environmentId, row.name)
      await db
        .insertInto('addons')
        .values({
          workspace_id: row.workspaceId,
          project_id: row.projectId,
          environment_id: row.environmentId,
          name: row.name,
          mode: row.mode,
          keys: JSON.stringify(row.keys),
          database_name: row.databaseName,
          role_name: row.roleName,
          parent_environment_id: row.parentEnvironmentId,
          created_by: row.createdBy,
          created_at: row.createdAt,
          updated_at: row.updatedAt,
        })
        .execute()
      return { ...row, keys: [...row.keys] }
    },
    delete: remove,
  }
}
