import type { Kysely } from 'kysely'
import type { SealedRow, WebhookReads, WebhookRepo, WebhookRow } from '../store.ts'
import { bytes, json, notFound, pageSize, touched } from './codec.ts'
import type { Database, WebhooksTable } from './schema.ts'

/** The AAD environment of a webhook secret (see src/services/webhooks). */
const WEBHOOK_ENVIRONMENT = '~webhook'

function toRow(r: WebhooksTable): WebhookRow {
  return {
    id: r.id,
    workspaceId: r.workspace_id,
    projectId: r.project_id,
    url: r.url,
    description: r.description,
    environmentIds: r.environment_ids === null ? null : json<string[]>(r.environment_ids),
    sealedSecret: r.sealed_secret,
    keyId: r.key_id,
    createdBy: r.created_by,
    createdAt: r.created_at,
  }
}

/** Webhook reads over `db`. */
export function webhookReads(db: Kysely<Database>): WebhookReads {
  const ofWorkspace = (workspaceId: string) =>
    db.selectFrom('webhooks').selectAll().where('workspace_id', '=', workspaceId)
  return {
    async get(workspaceId, id) {
      const r = await ofWorkspace(workspaceId).where('id', '=', id).executeTakeFirst()
      return r && toRow(r)
    },
    async list(workspaceId, projectId) {
      const rows = await ofWorkspace(workspaceId)
        .where('project_id', '=', projectId)
        .orderBy('created_at')
        .orderBy('id')
        .execute()
      return rows.map(toRow)
    },
    async listSealedByKey(workspaceId, keyId, page = {}) {
      let q = ofWorkspace(workspaceId).where('key_id', '=', keyId)
      if (page.afterId !== undefined) q = q.where('id', '>', page.afterId)
      const rows = await q.orderBy('id').limit(pageSize(page.limit)).execute()
      return rows.map((r): SealedRow => ({
        id: r.id,
        workspaceId: r.workspace_id,
        projectId: r.project_id,
        environmentId: WEBHOOK_ENVIRONMENT,
        keyId: r.key_id,
        sealed: r.sealed_secret,
      }))
    },
    async countByKey(workspaceId, keyId) {
      const r = await db
        .selectFrom('webhooks')
        .select((eb) => eb.fn.countAll().as('n'))
        .where('workspace_id', '=', workspaceId)
        .where('key_id', '=', keyId)
        .executeTakeFirst()
      return Number(r?.n ?? 0)
    },
  }
}

/** Webhook reads and writes inside transaction `db`. */
export function webhookRepo(db: Kysely<Database>): WebhookRepo {
  return {
    ...webhookReads(db),
    async create(row) {
      const r: WebhooksTable = {
        id: row.id,
        workspace_id: row.workspaceId,
        project_id: row.projectId,
        url: row.url,
        description: row.description,
        environment_ids: row.environmentIds === null ? null : JSON.stringify(row.environmentIds),
        sealed_secret: bytes(row.sealedSecret),
        key_id: row.keyId,
        created_by: row.createdBy,
        created_at: row.createdAt,
      }
      await db.insertInto('webhooks').values(r).execute()
      return toRow(r)
    },
    async delete(workspaceId, id) {
      // Explicit rather than relying on the cascade, which SQLite applies only with its pragma on.
      await db
        .deleteFrom('webhook_deliveries')
        .where('workspace_id', '=', workspaceId)
        .where('webhook_id', '=', id)
        .execute()
      const res = await db
        .deleteFrom('webhooks')
        .where('workspace_id', '=', workspaceId)
        .where('id', '=', id)
        .executeTakeFirst()
      if (!touched(res)) throw notFound('webhook', id)
    },
    async reseal(workspaceId, id, fromKeyId, sealed, toKeyId) {
      const res = await db
        .updateTable('webhooks')
        .set({ sealed_secret: bytes(sealed), key_id: toKeyId })
        .where('workspace_id', '=', workspaceId)
        .where('id', '=', id)
        .where('key_id', '=', fromKeyId)
        .executeTakeFirst()
      return touched(res)
    },
  }
}
