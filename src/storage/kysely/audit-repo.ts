import type { Kysely } from 'kysely'
import { AppError } from '../../core/errors.ts'
import type {
  ActorKind,
  AuditEventReads,
  AuditEventRepo,
  AuditEventRow,
  AuditOutcome,
  JsonValue,
} from '../store.ts'
import { json, notFound, pageSize, withWrites } from './codec.ts'
import { moved } from './document-head.ts'
import type { EngineSpec } from './engine.ts'
import { prepared } from './prepared.ts'
import type { AuditEventsTable, Database } from './schema.ts'

function toRow(r: AuditEventsTable): AuditEventRow {
  return {
    id: r.id,
    workspaceId: r.workspace_id,
    seq: r.seq,
    at: r.at,
    actorId: r.actor_id,
    actorKind: r.actor_kind as ActorKind,
    action: r.action,
    projectId: r.project_id,
    environmentId: r.environment_id,
    keys: json<string[]>(r.keys),
    outcome: r.outcome as AuditOutcome,
    ip: r.ip,
    requestId: r.request_id,
    detail: json<{ [k: string]: JsonValue }>(r.detail),
    prevHash: r.prev_hash,
    hash: r.hash,
  }
}

const advanceAuditHead = prepared(
  (db, _e, a: { id: string; seq: number; previous: number; hash: string }) =>
    db
      .updateTable('workspaces')
      .set({ audit_seq: a.seq, audit_hash: a.hash })
      .where('id', '=', a.id)
      .where('audit_seq', '=', a.previous),
)
const insertQuery = prepared((db, _e, r: AuditEventsTable) =>
  db.insertInto('audit_events').values(r),
)

/** Audit reads over `db`: filtered pages of one workspace's chain. */
export function auditEventReads(db: Kysely<Database>, _engine: EngineSpec): AuditEventReads {
  return {
    async list(workspaceId, query = {}) {
      let q = db.selectFrom('audit_events').selectAll().where('workspace_id', '=', workspaceId)
      if (query.afterSeq !== undefined) q = q.where('seq', '>', query.afterSeq)
      if (query.beforeSeq !== undefined) q = q.where('seq', '<', query.beforeSeq)
      if (query.since !== undefined) q = q.where('at', '>=', query.since)
      if (query.until !== undefined) q = q.where('at', '<', query.until)
      if (query.projectId !== undefined) q = q.where('project_id', '=', query.projectId)
      if (query.environmentId !== undefined) q = q.where('environment_id', '=', query.environmentId)
      if (query.actorId !== undefined) q = q.where('actor_id', '=', query.actorId)
      if (query.action !== undefined) q = q.where('action', '=', query.action)
      const rows = await q
        .orderBy('seq', query.order ?? 'desc')
        .limit(pageSize(query.limit))
        .execute()
      return rows.map(toRow)
    },
    async head(workspaceId) {
      const r = await db
        .selectFrom('workspaces')
        .select(['audit_seq', 'audit_hash'])
        .where('id', '=', workspaceId)
        .executeTakeFirst()
      return r && { seq: r.audit_seq, hash: r.audit_hash }
    },
  }
}

/** Audit reads and `append` inside transaction `db`; events are never changed or removed. */
export function auditEventRepo(db: Kysely<Database>, engine: EngineSpec): AuditEventRepo {
  const writes: Omit<AuditEventRepo, keyof AuditEventReads> = {
    async append(row) {
      // Compare-and-set on the workspace's head, as for revisions: no gap, no fork.
      const head = { id: row.workspaceId, seq: row.seq, previous: row.seq - 1, hash: row.hash }
      if (!moved(await advanceAuditHead(db, engine, head))) await refuse(db, engine, row)
      const r: AuditEventsTable = {
        id: row.id,
        workspace_id: row.workspaceId,
        seq: row.seq,
        at: row.at,
        actor_id: row.actorId,
        actor_kind: row.actorKind,
        action: row.action,
        project_id: row.projectId,
        environment_id: row.environmentId,
        keys: JSON.stringify(row.keys),
        outcome: row.outcome,
        ip: row.ip,
        request_id: row.requestId,
        detail: JSON.stringify(row.detail),
        prev_hash: row.prevHash,
        hash: row.hash,
      }
      await insertQuery(db, engine, r)
      return toRow(r)
    },
  }
  return withWrites(auditEventReads(db, engine), writes)
}

async function refuse(
  db: Kysely<Database>,
  engine: EngineSpec,
  row: AuditEventRow,
): Promise<never> {
  const head = await auditEventReads(db, engine).head(row.workspaceId)
  if (!head) throw notFound('workspace', row.workspaceId)
  const message = `audit event ${row.seq} is not next: the chain is at ${head.seq}`
  throw new AppError('CONFLICT', message, [{ field: 'seq', message }], { head: head.seq })
}
