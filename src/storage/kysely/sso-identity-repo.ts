import type { Kysely } from 'kysely'
import type { SessionReads, SessionRepo, SsoIdentityRow } from '../store.ts'
import type { Database, SsoIdentitiesTable } from './schema.ts'

function toRow(r: SsoIdentitiesTable): SsoIdentityRow {
  return {
    workspaceId: r.workspace_id,
    issuer: r.issuer,
    subject: r.subject,
    memberId: r.member_id,
    email: r.email,
    createdAt: r.created_at,
  }
}

type IdentityReads = Pick<SessionReads, 'getIdentity' | 'identityOfMember'>

/** Provider identities bound to members: the lookup every SSO login starts with. */
export function ssoIdentityReads(db: Kysely<Database>): IdentityReads {
  return {
    async getIdentity(workspaceId, issuer, subject) {
      const r = await db
        .selectFrom('sso_identities')
        .selectAll()
        .where('workspace_id', '=', workspaceId)
        .where('issuer', '=', issuer)
        .where('subject', '=', subject)
        .executeTakeFirst()
      return r && toRow(r)
    },
    async identityOfMember(workspaceId, issuer, memberId) {
      const r = await db
        .selectFrom('sso_identities')
        .selectAll()
        .where('workspace_id', '=', workspaceId)
        .where('issuer', '=', issuer)
        .where('member_id', '=', memberId)
        .executeTakeFirst()
      return r && toRow(r)
    },
  }
}

/** Binds an identity inside transaction `db` (the unique keys make a second binding CONFLICT). */
export function ssoIdentityRepo(db: Kysely<Database>): Pick<SessionRepo, 'bindIdentity'> {
  return {
    async bindIdentity(row) {
      const r: SsoIdentitiesTable = {
        workspace_id: row.workspaceId,
        issuer: row.issuer,
        subject: row.subject,
        member_id: row.memberId,
        email: row.email,
        created_at: row.createdAt,
      }
      await db.insertInto('sso_identities').values(r).execute()
      return toRow(r)
    },
  }
}
