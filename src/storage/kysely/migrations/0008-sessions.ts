import type { Kysely } from 'kysely'
import type { EngineSpec } from '../engine.ts'
import type { Migration } from './migration.ts'

// Server-side sessions of the dashboard (cookie) and of `tresor login --sso` (bearer), kept by
// HMAC of their secrets like tokens; and each workspace's sign-in settings (lifetimes, OIDC).
async function up(db: Kysely<unknown>, engine: EngineSpec): Promise<void> {
  const s = db.schema
  await s
    .createTable('sessions')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('workspace_id', 'text', (c) => c.notNull().references('workspaces.id'))
    .addColumn('member_id', 'text', (c) => c.notNull().references('members.id'))
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('client', 'text', (c) => c.notNull())
    .addColumn('token_id', 'text', (c) => c.references('tokens.id'))
    .addColumn('secret_hash', engine.blobType, (c) => c.notNull())
    .addColumn('refresh_hash', engine.blobType)
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('last_seen_at', 'text', (c) => c.notNull())
    .addColumn('expires_at', 'text', (c) => c.notNull())
    .addColumn('idle_timeout_s', 'integer', (c) => c.notNull())
    .addColumn('access_expires_at', 'text', (c) => c.notNull())
    .addColumn('idp_refresh_at', 'text')
    .addColumn('sealed_idp_refresh', engine.blobType)
    .addColumn('key_id', 'text')
    .addColumn('revoked_at', 'text')
    .execute()
  await s.createIndex('ux_sessions_secret').unique().on('sessions').column('secret_hash').execute()
  await s
    .createIndex('ux_sessions_refresh')
    .unique()
    .on('sessions')
    .column('refresh_hash')
    .execute()
  await s
    .createIndex('ix_sessions_member')
    .on('sessions')
    .columns(['workspace_id', 'member_id'])
    .execute()

  await s
    .createTable('auth_settings')
    .addColumn('workspace_id', 'text', (c) => c.primaryKey().references('workspaces.id'))
    .addColumn('session_lifetime_s', 'integer', (c) => c.notNull())
    .addColumn('idle_timeout_s', 'integer', (c) => c.notNull())
    .addColumn('sso_issuer', 'text')
    .addColumn('sso_client_id', 'text')
    .addColumn('sso_sealed_secret', engine.blobType)
    .addColumn('sso_key_id', 'text')
    .addColumn('sso_allowed_domains', 'text', (c) => c.notNull())
    .addColumn('sso_role_claim', 'text')
    .addColumn('sso_role_map', 'text', (c) => c.notNull())
    .addColumn('sso_default_role', 'text')
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute()
}

export const sessionsMigration: Migration = { version: 8, name: 'sessions', up }
