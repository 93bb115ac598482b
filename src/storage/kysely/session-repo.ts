import type { Kysely } from 'kysely'
import type {
  SealedRow,
  SessionClient,
  SessionKind,
  SessionReads,
  SessionRepo,
  SessionRow,
} from '../store.ts'
import { bytes, notFound, pageSize, touched } from './codec.ts'
import type { Database, SessionsTable } from './schema.ts'
import { ssoIdentityReads, ssoIdentityRepo } from './sso-identity-repo.ts'

// The AAD of a sealed IdP refresh token (services/sessions/idp-refresh-seal.ts): project and
// environment `~session`, the session id last. Repeated here because storage imports no service.
const SESSION_AAD = '~session'

function toRow(r: SessionsTable): SessionRow {
  return {
    id: r.id,
    workspaceId: r.workspace_id,
    memberId: r.member_id,
    kind: r.kind as SessionKind,
    client: r.client as SessionClient,
    tokenId: r.token_id,
    secretHash: r.secret_hash,
    refreshHash: r.refresh_hash,
    createdAt: r.created_at,
    lastSeenAt: r.last_seen_at,
    expiresAt: r.expires_at,
    idleTimeoutSeconds: Number(r.idle_timeout_s),
    accessExpiresAt: r.access_expires_at,
    idpRefreshAt: r.idp_refresh_at,
    sealedIdpRefresh: r.sealed_idp_refresh,
    keyId: r.key_id,
    revokedAt: r.revoked_at,
  }
}

/** Session reads; `getBySecretHash` is the per-request lookup of cookie and CLI sessions. */
export function sessionReads(db: Kysely<Database>): SessionReads {
  return {
    async getBySecretHash(hash) {
      const r = await db
        .selectFrom('sessions')
        .selectAll()
        .where('secret_hash', '=', bytes(hash))
        .executeTakeFirst()
      return r && toRow(r)
    },
    async getByRefreshHash(hash) {
      const r = await db
        .selectFrom('sessions')
        .selectAll()
        .where('refresh_hash', '=', bytes(hash))
        .executeTakeFirst()
      return r && toRow(r)
    },
    async get(workspaceId, id) {
      const r = await db
        .selectFrom('sessions')
        .selectAll()
        .where('workspace_id', '=', workspaceId)
        .where('id', '=', id)
        .executeTakeFirst()
      return r && toRow(r)
    },
    async listSealedByKey(workspaceId, keyId, page = {}) {
      let q = db
        .selectFrom('sessions')
        .select(['id', 'workspace_id', 'key_id', 'sealed_idp_refresh'])
        .where('workspace_id', '=', workspaceId)
        .where('key_id', '=', keyId)
        .where('sealed_idp_refresh', 'is not', null)
      if (page.afterId !== undefined) q = q.where('id', '>', page.afterId)
      const rows = await q.orderBy('id').limit(pageSize(page.limit)).execute()
      return rows.flatMap((r): SealedRow[] =>
        r.sealed_idp_refresh === null || r.key_id === null
          ? []
          : [
              {
                ...{ id: r.id, workspaceId: r.workspace_id, keyId: r.key_id },
                ...{ projectId: SESSION_AAD, environmentId: SESSION_AAD },
                sealed: r.sealed_idp_refresh,
              },
            ],
      )
    },
    async countByKey(workspaceId, keyId) {
      const r = await db
        .selectFrom('sessions')
        .select((eb) => eb.fn.countAll().as('n'))
        .where('workspace_id', '=', workspaceId)
        .where('key_id', '=', keyId)
        .where('sealed_idp_refresh', 'is not', null)
        .executeTakeFirst()
      return Number(r?.n ?? 0)
    },
    ...ssoIdentityReads(db),
  }
}

/** Session writes inside transaction `db`. */
export function sessionRepo(db: Kysely<Database>): SessionRepo {
  const reads = sessionReads(db)
  return {
    ...reads,
    ...ssoIdentityRepo(db),
    async reseal(workspaceId, id, fromKeyId, sealed, toKeyId) {
      const res = await db
        .updateTable('sessions')
        .set({ sealed_idp_refresh: bytes(sealed), key_id: toKeyId })
        .where('workspace_id', '=', workspaceId)
        .where('id', '=', id)
        .where('key_id', '=', fromKeyId)
        .where('sealed_idp_refresh', 'is not', null)
        .executeTakeFirst()
      return touched(res)
    },
    async create(row) {
      const r: SessionsTable = {
        id: row.id,
        workspace_id: row.workspaceId,
        member_id: row.memberId,
        kind: row.kind,
        client: row.client,
        token_id: row.tokenId,
        secret_hash: bytes(row.secretHash),
        refresh_hash: row.refreshHash === null ? null : bytes(row.refreshHash),
        created_at: row.createdAt,
        last_seen_at: row.lastSeenAt,
        expires_at: row.expiresAt,
        idle_timeout_s: row.idleTimeoutSeconds,
        access_expires_at: row.accessExpiresAt,
        idp_refresh_at: row.idpRefreshAt,
        sealed_idp_refresh: row.sealedIdpRefresh === null ? null : bytes(row.sealedIdpRefresh),
        key_id: row.keyId,
        revoked_at: null,
      }
      await db.insertInto('sessions').values(r).execute()
      return toRow(r)
    },
    async touch(id, at) {
      await db
        .updateTable('sessions')
        .set({ last_seen_at: at })
        .where('id', '=', id)
        .where('last_seen_at', '<', at)
        .execute()
    },
    async renew(id, expectSecretHash, patch) {
      const set: Partial<SessionsTable> = {}
      if (patch.secretHash !== undefined) set.secret_hash = bytes(patch.secretHash)
      if (patch.refreshHash !== undefined)
        set.refresh_hash = patch.refreshHash === null ? null : bytes(patch.refreshHash)
      if (patch.accessExpiresAt !== undefined) set.access_expires_at = patch.accessExpiresAt
      if (patch.idpRefreshAt !== undefined) set.idp_refresh_at = patch.idpRefreshAt
      if (patch.sealedIdpRefresh !== undefined)
        set.sealed_idp_refresh =
          patch.sealedIdpRefresh === null ? null : bytes(patch.sealedIdpRefresh)
      if (patch.keyId !== undefined) set.key_id = patch.keyId
      const result = await db
        .updateTable('sessions')
        .set(set)
        .where('id', '=', id)
        .where('secret_hash', '=', bytes(expectSecretHash))
        .where('revoked_at', 'is', null)
        .executeTakeFirst()
      return touched(result)
    },
    async revoke(workspaceId, id, at) {
      await db
        .updateTable('sessions')
        // An ended session never asks the IdP again: its sealed refresh token goes with it.
        .set({ revoked_at: at, sealed_idp_refresh: null, key_id: null })
        .where('workspace_id', '=', workspaceId)
        .where('id', '=', id)
        .where('revoked_at', 'is', null)
        .execute()
      if ((await reads.get(workspaceId, id)) === undefined) throw notFound('session', id)
    },
  }
}
