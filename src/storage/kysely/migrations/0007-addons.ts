import type { Kysely } from 'kysely'
import type { Migration } from './migration.ts'

// Add-ons attached to environments: clear metadata only (names of the variables, the database
// and role a provisioned add-on made). The variables' values are sealed inside the environment's
// revisions. environment_id is plain text, not a foreign key: the row is the record of what to
// drop on the database server, so it must outlive nothing and block nothing by itself.
async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('addons')
    .addColumn('workspace_id', 'text', (c) => c.notNull().references('workspaces.id'))
    .addColumn('project_id', 'text', (c) => c.notNull())
    .addColumn('environment_id', 'text', (c) => c.notNull())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('mode', 'text', (c) => c.notNull())
    .addColumn('keys', 'text', (c) => c.notNull())
    .addColumn('database_name', 'text')
    .addColumn('role_name', 'text')
    .addColumn('parent_environment_id', 'text')
    .addColumn('created_by', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('pk_addons', ['environment_id', 'name'])
    .execute()
  await db.schema
    .createIndex('ix_addons_workspace')
    .on('addons')
    .columns(['workspace_id', 'environment_id'])
    .execute()
}

export const addonsMigration: Migration = { version: 7, name: 'addons', up }
