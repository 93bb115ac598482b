import { sql, type Kysely } from 'kysely'
import type { EngineSpec } from '../engine.ts'
import type { Migration } from './migration.ts'

// Portable column types only (text, integer, the engine's blob type); see ../schema.ts.
async function up(db: Kysely<unknown>, engine: EngineSpec): Promise<void> {
  const s = db.schema
  await s
    .createTable('workspaces')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('audit_seq', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('audit_hash', 'text')
    .execute()

  await s
    .createTable('data_keys')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('workspace_id', 'text', (c) => c.notNull().references('workspaces.id'))
    .addColumn('version', 'integer', (c) => c.notNull())
    .addColumn('wrapped_key', engine.blobType, (c) => c.notNull())
    .addColumn('root_key_id', 'text', (c) => c.notNull())
    .addColumn('state', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute()
  await s
    .createIndex('ux_data_keys_version')
    .unique()
    .on('data_keys')
    .columns(['workspace_id', 'version'])
    .execute()
  await s
    .createIndex('ux_data_keys_current')
    .unique()
    .on('data_keys')
    .column('workspace_id')
    .where(sql.raw<boolean>(`state = 'current'`))
    .execute()
  await s.createIndex('ix_data_keys_root').on('data_keys').column('root_key_id').execute()

  await s
    .createTable('members')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('workspace_id', 'text', (c) => c.notNull().references('workspaces.id'))
    .addColumn('email', 'text', (c) => c.notNull())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('role', 'text', (c) => c.notNull())
    .addColumn('disabled', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute()
  await s
    .createIndex('ux_members_email')
    .unique()
    .on('members')
    .columns(['workspace_id', 'email'])
    .execute()

  await s
    .createTable('projects')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('workspace_id', 'text', (c) => c.notNull().references('workspaces.id'))
    .addColumn('slug', 'text', (c) => c.notNull())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('required_keys', 'text', (c) => c.notNull())
    .addColumn('head_revision', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('deleted_at', 'text')
    .execute()
  // A deleted project frees its slug.
  await s
    .createIndex('ux_projects_slug')
    .unique()
    .on('projects')
    .columns(['workspace_id', 'slug'])
    .where(sql.raw<boolean>('deleted_at is null'))
    .execute()
}

export const documentsMigration: Migration = { version: 1, name: 'workspaces-and-projects', up }
