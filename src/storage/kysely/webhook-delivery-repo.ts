import type { Kysely } from 'kysely'
import type {
  WebhookDeliveryReads,
  WebhookDeliveryRepo,
  WebhookDeliveryRow,
  WebhookDeliveryStatus,
} from '../store.ts'
import { notFound, pageSize, touched } from './codec.ts'
import type { Database, WebhookDeliveriesTable } from './schema.ts'

function toRow(r: WebhookDeliveriesTable): WebhookDeliveryRow {
  return {
    id: r.id,
    workspaceId: r.workspace_id,
    projectId: r.project_id,
    webhookId: r.webhook_id,
    releaseId: r.release_id,
    environmentId: r.environment_id,
    event: r.event,
    payload: r.payload,
    status: r.status as WebhookDeliveryStatus,
    attempts: r.attempts,
    nextAttemptAt: r.next_attempt_at,
    lastAttemptAt: r.last_attempt_at,
    lastStatusCode: r.last_status_code,
    lastError: r.last_error,
    deliveredAt: r.delivered_at,
    createdAt: r.created_at,
  }
}

/** Webhook delivery reads over `db`. */
export function webhookDeliveryReads(db: Kysely<Database>): WebhookDeliveryReads {
  const all = () => db.selectFrom('webhook_deliveries').selectAll()
  return {
    async get(workspaceId, id) {
      const r = await all()
        .where('workspace_id', '=', workspaceId)
        .where('id', '=', id)
        .executeTakeFirst()
      return r && toRow(r)
    },
    async list(workspaceId, webhookId, page) {
      const rows = await all()
        .where('workspace_id', '=', workspaceId)
        .where('webhook_id', '=', webhookId)
        .orderBy('created_at', 'desc')
        .orderBy('id', 'desc')
        .limit(pageSize(page?.limit))
        .execute()
      return rows.map(toRow)
    },
    async listDue(at, limit) {
      const rows = await all()
        .where('status', '=', 'pending')
        .where('next_attempt_at', '<=', at)
        .orderBy('next_attempt_at')
        .orderBy('id')
        .limit(pageSize(limit))
        .execute()
      return rows.map(toRow)
    },
    async nextDueAt() {
      const r = await db
        .selectFrom('webhook_deliveries')
        .select((eb) => eb.fn.min('next_attempt_at').as('at'))
        .where('status', '=', 'pending')
        .executeTakeFirst()
      return r?.at ?? undefined
    },
  }
}

/** Webhook delivery reads and writes inside transaction `db`. */
export function webhookDeliveryRepo(db: Kysely<Database>): WebhookDeliveryRepo {
  const reads = webhookDeliveryReads(db)
  return {
    ...reads,
    async create(row) {
      const r: WebhookDeliveriesTable = {
        id: row.id,
        workspace_id: row.workspaceId,
        project_id: row.projectId,
        webhook_id: row.webhookId,
        release_id: row.releaseId,
        environment_id: row.environmentId,
        event: row.event,
        payload: row.payload,
        status: row.status,
        attempts: row.attempts,
        next_attempt_at: row.nextAttemptAt,
        last_attempt_at: row.lastAttemptAt,
        last_status_code: row.lastStatusCode,
        last_error: row.lastError,
        delivered_at: row.deliveredAt,
        created_at: row.createdAt,
      }
      await db.insertInto('webhook_deliveries').values(r).execute()
      return toRow(r)
    },
    async claim(id, dueAt, at, leaseUntil) {
      // One conditional UPDATE is the check and the claim: of two racers, one matches nothing.
      const r = await db
        .updateTable('webhook_deliveries')
        .set((eb) => ({
          attempts: eb('attempts', '+', 1),
          last_attempt_at: at,
          next_attempt_at: leaseUntil,
        }))
        .where('id', '=', id)
        .where('status', '=', 'pending')
        .where('next_attempt_at', '=', dueAt)
        .returningAll()
        .executeTakeFirst()
      return r && toRow(r)
    },
    async finish(id, attempt, result) {
      const res = await db
        .updateTable('webhook_deliveries')
        .set({
          status: result.status,
          next_attempt_at: result.nextAttemptAt,
          last_status_code: result.lastStatusCode,
          last_error: result.lastError,
          delivered_at: result.deliveredAt,
        })
        .where('id', '=', id)
        .where('status', '=', 'pending')
        .where('attempts', '=', attempt)
        .executeTakeFirst()
      return touched(res)
    },
    async requeue(workspaceId, id, at) {
      const res = await db
        .updateTable('webhook_deliveries')
        .set({ status: 'pending', attempts: 0, next_attempt_at: at })
        .where('workspace_id', '=', workspaceId)
        .where('id', '=', id)
        .executeTakeFirst()
      const row = touched(res) ? await reads.get(workspaceId, id) : undefined
      if (row === undefined) throw notFound('webhook delivery', id)
      return row
    },
  }
}
