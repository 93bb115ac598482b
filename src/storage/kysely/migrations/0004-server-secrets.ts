import type { Kysely } from 'kysely'
import type { EngineSpec } from '../engine.ts'
import type { Migration } from './migration.ts'

// Server-wide secrets (the token pepper) wrapped by the root key, so every replica sharing one
// database uses the same ones; and the audit filters of GET /v1/audit by actor and action.
async function up(db: Kysely<unknown>, engine: EngineSpec): Promise<void> {
  await db.schema
    .createTable('server_secrets')
    .addColumn('name', 'text', (c) => c.primaryKey())
    .addColumn('wrapped', engine.blobType, (c) => c.notNull())
    .addColumn('root_key_id', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute()
  await db.schema
    .createIndex('ix_audit_events_actor')
    .on('audit_events')
    .columns(['workspace_id', 'actor_id', 'seq'])
    .execute()
  await db.schema
    .createIndex('ix_audit_events_action')
    .on('audit_events')
    .columns(['workspace_id', 'action', 'seq'])
    .execute()
}

export const serverSecretsMigration: Migration = { version: 4, name: 'server-secrets', up }
