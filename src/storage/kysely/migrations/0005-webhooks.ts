import type { Kysely } from 'kysely'
import type { EngineSpec } from '../engine.ts'
import type { Migration } from './migration.ts'

// Release webhooks: the registered URLs (their signing secret sealed under the workspace data
// key) and one durable delivery row per release and webhook, which the delivery worker claims.
async function up(db: Kysely<unknown>, engine: EngineSpec): Promise<void> {
  const s = db.schema
  await s
    .createTable('webhooks')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('workspace_id', 'text', (c) => c.notNull().references('workspaces.id'))
    .addColumn('project_id', 'text', (c) => c.notNull().references('projects.id'))
    .addColumn('url', 'text', (c) => c.notNull())
    .addColumn('description', 'text')
    .addColumn('environment_ids', 'text')
    .addColumn('sealed_secret', engine.blobType, (c) => c.notNull())
    .addColumn('key_id', 'text', (c) => c.notNull().references('data_keys.id'))
    .addColumn('created_by', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute()
  await s
    .createIndex('ix_webhooks_project')
    .on('webhooks')
    .columns(['workspace_id', 'project_id'])
    .execute()

  // release_id and environment_id are plain text: deleting an environment (and its releases)
  // must not be blocked by, nor erase, the record of what was sent about it.
  await s
    .createTable('webhook_deliveries')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('workspace_id', 'text', (c) => c.notNull().references('workspaces.id'))
    .addColumn('project_id', 'text', (c) => c.notNull())
    .addColumn('webhook_id', 'text', (c) =>
      c.notNull().references('webhooks.id').onDelete('cascade'),
    )
    .addColumn('release_id', 'text', (c) => c.notNull())
    .addColumn('environment_id', 'text', (c) => c.notNull())
    .addColumn('event', 'text', (c) => c.notNull())
    .addColumn('payload', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('attempts', 'integer', (c) => c.notNull())
    .addColumn('next_attempt_at', 'text')
    .addColumn('last_attempt_at', 'text')
    .addColumn('last_status_code', 'integer')
    .addColumn('last_error', 'text')
    .addColumn('delivered_at', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute()
  // The worker's scan: pending rows by due time, across workspaces.
  await s
    .createIndex('ix_webhook_deliveries_due')
    .on('webhook_deliveries')
    .columns(['status', 'next_attempt_at'])
    .execute()
  await s
    .createIndex('ix_webhook_deliveries_webhook')
    .on('webhook_deliveries')
    .columns(['webhook_id', 'created_at'])
    .execute()
}

export const webhooksMigration: Migration = { version: 5, name: 'webhooks', up }
