import type { Kysely } from 'kysely'
import type { TokenKind, TokenReads, TokenRepo, TokenRow, TokenScope } from '../store.ts'
import { bytes, json, notFound } from './codec.ts'
import type { EngineSpec } from './engine.ts'
import { prepared } from './prepared.ts'
import type { Database, TokensTable } from './schema.ts'

function toRow(r: TokensTable): TokenRow {
  return {
    id: r.id,
    workspaceId: r.workspace_id,
    memberId: r.member_id,
    kind: r.kind as TokenKind,
    name: r.name,
    tokenHash: r.token_hash,
    scopes: json<TokenScope[]>(r.scopes),
    projectId: r.project_id,
    environmentIds: r.environment_ids === null ? null : json<string[]>(r.environment_ids),
    expiresAt: r.expires_at,
    revokedAt: r.revoked_at,
    lastUsedAt: r.last_used_at,
    createdAt: r.created_at,
    agent: Number(r.agent) === 1,
  }
}

const byHashQuery = prepared((db, _e, a: { hash: Buffer }) =>
  db.selectFrom('tokens').selectAll().where('token_hash', '=', a.hash),
)

/** Token reads over `db`; `getByHash` is the per-request authentication lookup. */
export function tokenReads(db: Kysely<Database>, engine: EngineSpec): TokenReads {
  return {
    async getByHash(tokenHash) {
      const r = (await byHashQuery(db, engine, { hash: bytes(tokenHash) })).rows[0]
      return r && toRow(r)
    },
    async get(workspaceId, id) {
      const r = await db
        .selectFrom('tokens')
        .selectAll()
        .where('workspace_id', '=', workspaceId)
        .where('id', '=', id)
        .executeTakeFirst()
      return r && toRow(r)
    },
    async list(workspaceId, filter) {
      let q = db.selectFrom('tokens').selectAll().where('workspace_id', '=', workspaceId)
      if (filter?.memberId !== undefined) q = q.where('member_id', '=', filter.memberId)
      if (filter?.projectId !== undefined) q = q.where('project_id', '=', filter.projectId)
      const rows = await q.orderBy('created_at').orderBy('id').execute()
      return rows.map(toRow)
    },
  }
}

/** Token reads and writes inside transaction `db`. */
export function tokenRepo(db: Kysely<Database>, engine: EngineSpec): TokenRepo {
  const reads = tokenReads(db, engine)
  return {
    ...reads,
    async create(row) {
      const r: TokensTable = {
        id: row.id,
        workspace_id: row.workspaceId,
        member_id: row.memberId,
        kind: row.kind,
        name: row.name,
        token_hash: bytes(row.tokenHash),
        scopes: JSON.stringify(row.scopes),
        project_id: row.projectId,
        environment_ids: row.environmentIds === null ? null : JSON.stringify(row.environmentIds),
        expires_at: row.expiresAt,
        revoked_at: null,
        last_used_at: null,
        created_at: row.createdAt,
        agent: row.agent === true ? 1 : 0,
      }
      await db.insertInto('tokens').values(r).execute()
      return toRow(r)
    },
    async revoke(workspaceId, id, at) {
      await db
        .updateTable('tokens')
        .set({ revoked_at: at })
        .where('workspace_id', '=', workspaceId)
        .where('id', '=', id)
        .where('revoked_at', 'is', null)
        .execute()
      const row = await reads.get(workspaceId, id)
      if (!row) throw notFound('token', id)
      return row
    },
    async touch(id, at) {
      await db.updateTable('tokens').set({ last_used_at: at }).where('id', '=', id).execute()
    },
  }
}
