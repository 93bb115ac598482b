import { sql, type Kysely } from 'kysely'
import type { EngineSpec } from '../engine.ts'
import type { Migration } from './migration.ts'

async function up(db: Kysely<unknown>, engine: EngineSpec): Promise<void> {
  const s = db.schema
  // current_release_id has no foreign key: releases reference environments, and PostgreSQL
  // cannot declare the cycle in CREATE TABLE; setCurrentRelease checks it instead.
  await s
    .createTable('environments')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('workspace_id', 'text', (c) => c.notNull().references('workspaces.id'))
    .addColumn('project_id', 'text', (c) => c.notNull().references('projects.id'))
    .addColumn('slug', 'text', (c) => c.notNull())
    .addColumn('parent_id', 'text', (c) => c.references('environments.id').onDelete('set null'))
    .addColumn('expires_at', 'text')
    .addColumn('auto_deploy', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('required_keys', 'text', (c) => c.notNull())
    .addColumn('head_revision', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('current_release_id', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute()
  await s
    .createIndex('ux_environments_slug')
    .unique()
    .on('environments')
    .columns(['project_id', 'slug'])
    .execute()
  await s
    .createIndex('ix_environments_expires')
    .on('environments')
    .column('expires_at')
    .where(sql.raw<boolean>('expires_at is not null'))
    .execute()

  await s
    .createTable('revisions')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('workspace_id', 'text', (c) => c.notNull().references('workspaces.id'))
    .addColumn('project_id', 'text', (c) => c.notNull().references('projects.id'))
    .addColumn('environment_id', 'text', (c) => c.references('environments.id').onDelete('cascade'))
    .addColumn('scope_id', 'text', (c) => c.notNull())
    .addColumn('number', 'integer', (c) => c.notNull())
    .addColumn('author_id', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('message', 'text')
    .addColumn('changed_keys', 'text', (c) => c.notNull())
    .addColumn('key_index', 'text', (c) => c.notNull())
    .addColumn('sealed', engine.blobType, (c) => c.notNull())
    .addColumn('key_id', 'text', (c) => c.notNull().references('data_keys.id'))
    .execute()
  // Also the "latest revision of a document" index: both engines scan it backwards.
  await s
    .createIndex('ux_revisions_number')
    .unique()
    .on('revisions')
    .columns(['scope_id', 'number'])
    .execute()

  await s
    .createTable('releases')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('workspace_id', 'text', (c) => c.notNull().references('workspaces.id'))
    .addColumn('project_id', 'text', (c) => c.notNull().references('projects.id'))
    .addColumn('environment_id', 'text', (c) =>
      c.notNull().references('environments.id').onDelete('cascade'),
    )
    .addColumn('number', 'integer', (c) => c.notNull())
    .addColumn('env_revision', 'integer', (c) => c.notNull())
    .addColumn('project_revision', 'integer', (c) => c.notNull())
    .addColumn('system_vars', 'text', (c) => c.notNull())
    .addColumn('deploy_id', 'text', (c) => c.notNull())
    .addColumn('author_id', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('sealed', engine.blobType)
    .addColumn('key_id', 'text', (c) => c.references('data_keys.id'))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute()
  await s
    .createIndex('ux_releases_number')
    .unique()
    .on('releases')
    .columns(['environment_id', 'number'])
    .execute()
}

export const environmentsMigration: Migration = { version: 2, name: 'environments', up }
