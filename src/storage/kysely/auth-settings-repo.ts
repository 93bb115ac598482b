import type { Kysely } from 'kysely'
import type { AuthSettingsReads, AuthSettingsRepo, AuthSettingsRow, MemberRole } from '../store.ts'
import { bytes, json, touched } from './codec.ts'
import type { AuthSettingsTable, Database } from './schema.ts'

function toRow(r: AuthSettingsTable): AuthSettingsRow {
  return {
    workspaceId: r.workspace_id,
    sessionLifetimeSeconds: Number(r.session_lifetime_s),
    idleTimeoutSeconds: Number(r.idle_timeout_s),
    ssoIssuer: r.sso_issuer,
    ssoClientId: r.sso_client_id,
    ssoSealedSecret: r.sso_sealed_secret,
    ssoKeyId: r.sso_key_id,
    ssoAllowedDomains: json<string[]>(r.sso_allowed_domains),
    ssoRoleClaim: r.sso_role_claim,
    ssoRoleMap: json<Record<string, MemberRole>>(r.sso_role_map),
    ssoDefaultRole: r.sso_default_role as MemberRole | null,
    updatedAt: r.updated_at,
  }
}

// The AAD of the sealed client secret (services/sessions/oidc-client.ts `clientSecretAad`):
// project and environment `~sso`, last field `client-secret`. Storage imports no service.
const SSO_AAD = '~sso'
const CLIENT_SECRET_ID = 'client-secret'

/** The workspace's sign-in settings (one row, absent until an admin saves some). */
export function authSettingsReads(db: Kysely<Database>): AuthSettingsReads {
  return {
    async get(workspaceId) {
      const r = await db
        .selectFrom('auth_settings')
        .selectAll()
        .where('workspace_id', '=', workspaceId)
        .executeTakeFirst()
      return r && toRow(r)
    },
    async listSealedByKey(workspaceId, keyId, page = {}) {
      // One row per workspace: a second page is always empty.
      if (page.afterId !== undefined) return []
      const r = await db
        .selectFrom('auth_settings')
        .select(['sso_sealed_secret', 'sso_key_id'])
        .where('workspace_id', '=', workspaceId)
        .where('sso_key_id', '=', keyId)
        .executeTakeFirst()
      if (r === undefined || r.sso_sealed_secret === null || r.sso_key_id === null) return []
      return [
        {
          ...{ id: CLIENT_SECRET_ID, workspaceId, keyId: r.sso_key_id },
          ...{ projectId: SSO_AAD, environmentId: SSO_AAD, sealed: r.sso_sealed_secret },
        },
      ]
    },
    async countByKey(workspaceId, keyId) {
      const r = await db
        .selectFrom('auth_settings')
        .select('workspace_id')
        .where('workspace_id', '=', workspaceId)
        .where('sso_key_id', '=', keyId)
        .where('sso_sealed_secret', 'is not', null)
        .executeTakeFirst()
      return r === undefined ? 0 : 1
    },
  }
}

/** Sign-in settings writes inside transaction `db`. */
export function authSettingsRepo(db: Kysely<Database>): AuthSettingsRepo {
  const reads = authSettingsReads(db)
  return {
    ...reads,
    async reseal(workspaceId, _id, fromKeyId, sealed, toKeyId) {
      const res = await db
        .updateTable('auth_settings')
        .set({ sso_sealed_secret: bytes(sealed), sso_key_id: toKeyId })
        .where('workspace_id', '=', workspaceId)
        .where('sso_key_id', '=', fromKeyId)
        .where('sso_sealed_secret', 'is not', null)
        .executeTakeFirst()
      return touched(res)
    },
    async put(row) {
      const r: AuthSettingsTable = {
        workspace_id: row.workspaceId,
        session_lifetime_s: row.sessionLifetimeSeconds,
        idle_timeout_s: row.idleTimeoutSeconds,
        sso_issuer: row.ssoIssuer,
        sso_client_id: row.ssoClientId,
        sso_sealed_secret: row.ssoSealedSecret === null ? null : bytes(row.ssoSealedSecret),
        sso_key_id: row.ssoKeyId,
        sso_allowed_domains: JSON.stringify(row.ssoAllowedDomains),
        sso_role_claim: row.ssoRoleClaim,
        sso_role_map: JSON.stringify(row.ssoRoleMap),
        sso_default_role: row.ssoDefaultRole,
        updated_at: row.updatedAt,
      }
      const { workspace_id: _id, ...rest } = r
      const exists = await reads.get(row.workspaceId)
      if (exists === undefined) await db.insertInto('auth_settings').values(r).execute()
      else
        await db
          .updateTable('auth_settings')
          .set(rest)
          .where('workspace_id', '=', row.workspaceId)
          .execute()
      return toRow(r)
    },
  }
}
