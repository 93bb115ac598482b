import type { Kysely } from 'kysely'
import type { Migration } from './migration.ts'

// Which provider identity (issuer + subject) signs in as which member. Emails change and get
// reused at a provider; the subject does not, so SSO finds members by this row, never by email.
// One identity per member per issuer: a second subject cannot attach itself to a bound member.
async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('sso_identities')
    .addColumn('workspace_id', 'text', (c) => c.notNull().references('workspaces.id'))
    .addColumn('issuer', 'text', (c) => c.notNull())
    .addColumn('subject', 'text', (c) => c.notNull())
    .addColumn('member_id', 'text', (c) => c.notNull().references('members.id'))
    .addColumn('email', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('pk_sso_identities', ['workspace_id', 'issuer', 'subject'])
    .execute()
  await db.schema
    .createIndex('ux_sso_identities_member')
    .unique()
    .on('sso_identities')
    .columns(['workspace_id', 'issuer', 'member_id'])
    .execute()
}

export const ssoIdentitiesMigration: Migration = { version: 9, name: 'sso-identities', up }
