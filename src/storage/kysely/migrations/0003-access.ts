import type { Kysely } from 'kysely'
import type { EngineSpec } from '../engine.ts'
import type { Migration } from './migration.ts'

async function up(db: Kysely<unknown>, engine: EngineSpec): Promise<void> {
  const s = db.schema
  await s
    .createTable('tokens')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('workspace_id', 'text', (c) => c.notNull().references('workspaces.id'))
    .addColumn('member_id', 'text', (c) => c.references('members.id'))
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('token_hash', engine.blobType, (c) => c.notNull())
    .addColumn('scopes', 'text', (c) => c.notNull())
    .addColumn('project_id', 'text', (c) => c.references('projects.id'))
    .addColumn('environment_ids', 'text')
    .addColumn('expires_at', 'text')
    .addColumn('revoked_at', 'text')
    .addColumn('last_used_at', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute()
  await s.createIndex('ux_tokens_hash').unique().on('tokens').column('token_hash').execute()
  await s.createIndex('ix_tokens_workspace').on('tokens').column('workspace_id').execute()

  // project_id and environment_id are plain text: the audit trail outlives what it names.
  await s
    .createTable('audit_events')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('workspace_id', 'text', (c) => c.notNull().references('workspaces.id'))
    .addColumn('seq', 'integer', (c) => c.notNull())
    .addColumn('at', 'text', (c) => c.notNull())
    .addColumn('actor_id', 'text', (c) => c.notNull())
    .addColumn('actor_kind', 'text', (c) => c.notNull())
    .addColumn('action', 'text', (c) => c.notNull())
    .addColumn('project_id', 'text')
    .addColumn('environment_id', 'text')
    .addColumn('keys', 'text', (c) => c.notNull())
    .addColumn('outcome', 'text', (c) => c.notNull())
    .addColumn('ip', 'text')
    .addColumn('request_id', 'text')
    .addColumn('detail', 'text', (c) => c.notNull())
    .addColumn('prev_hash', 'text')
    .addColumn('hash', 'text', (c) => c.notNull())
    .execute()
  await s
    .createIndex('ux_audit_events_seq')
    .unique()
    .on('audit_events')
    .columns(['workspace_id', 'seq'])
    .execute()
  await s
    .createIndex('ix_audit_events_at')
    .on('audit_events')
    .columns(['workspace_id', 'at'])
    .execute()

  await s
    .createTable('secret_requests')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('workspace_id', 'text', (c) => c.notNull().references('workspaces.id'))
    .addColumn('project_id', 'text', (c) => c.notNull().references('projects.id'))
    .addColumn('environment_id', 'text', (c) =>
      c.notNull().references('environments.id').onDelete('cascade'),
    )
    .addColumn('key', 'text', (c) => c.notNull())
    .addColumn('description', 'text')
    .addColumn('token_hash', engine.blobType, (c) => c.notNull())
    .addColumn('created_by', 'text', (c) => c.notNull())
    .addColumn('expires_at', 'text', (c) => c.notNull())
    .addColumn('fulfilled_at', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute()
  await s
    .createIndex('ux_secret_requests_hash')
    .unique()
    .on('secret_requests')
    .column('token_hash')
    .execute()
  await s
    .createIndex('ix_secret_requests_env')
    .on('secret_requests')
    .columns(['workspace_id', 'environment_id'])
    .execute()
}

export const accessMigration: Migration = { version: 3, name: 'tokens-audit-requests', up }
