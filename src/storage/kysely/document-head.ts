import type { Kysely, QueryResult } from 'kysely'
import { AppError } from '../../core/errors.ts'
import type { RevisionRow } from '../store.ts'
import { notFound } from './codec.ts'
import type { EngineSpec } from './engine.ts'
import { prepared } from './prepared.ts'
import type { Database } from './schema.ts'

interface HeadArgs {
  id: string
  projectId: string
  workspaceId: string
  number: number
  previous: number
}

const advanceEnvHead = prepared((db, _e, a: HeadArgs) =>
  db
    .updateTable('environments')
    .set({ head_revision: a.number })
    .where('id', '=', a.id)
    .where('project_id', '=', a.projectId)
    .where('workspace_id', '=', a.workspaceId)
    .where('head_revision', '=', a.previous),
)
const advanceProjectHead = prepared((db, _e, a: HeadArgs) =>
  db
    .updateTable('projects')
    .set({ head_revision: a.number })
    .where('id', '=', a.projectId)
    .where('workspace_id', '=', a.workspaceId)
    .where('head_revision', '=', a.previous),
)

// The compare-and-set updates report the rows they changed; no RETURNING clause, which costs a
// SQLite UPDATE several times the update itself (its rows go through a temporary table first).
export const moved = (result: QueryResult<unknown>): boolean => (result.numAffectedRows ?? 0n) > 0n

/**
 * Compare-and-set on the document's head: moves it from `row.number - 1` to `row.number`, or
 * throws CONFLICT (another writer got there first) or NOT_FOUND (no such document). This alone
 * rules out lost updates and gaps; lockForUpdate only spares the writer the CONFLICT.
 */
export async function advanceHead(
  db: Kysely<Database>,
  engine: EngineSpec,
  row: RevisionRow,
): Promise<void> {
  const args = {
    id: row.environmentId ?? row.projectId,
    projectId: row.projectId,
    workspaceId: row.workspaceId,
    number: row.number,
    previous: row.number - 1,
  }
  const advance = row.environmentId ? advanceEnvHead : advanceProjectHead
  if (moved(await advance(db, engine, args))) return
  const head = await currentHead(db, row)
  const what = row.environmentId ? 'environment' : 'project'
  if (head === undefined) throw notFound(what, row.environmentId ?? row.projectId)
  const message = `revision ${row.number} is not next: the ${what} document is at revision ${head}`
  throw new AppError('CONFLICT', message, [{ field: 'number', message }], { head })
}

async function currentHead(db: Kysely<Database>, row: RevisionRow): Promise<number | undefined> {
  const r = row.environmentId
    ? await db
        .selectFrom('environments')
        .select('head_revision')
        .where('id', '=', row.environmentId)
        .where('project_id', '=', row.projectId)
        .where('workspace_id', '=', row.workspaceId)
        .executeTakeFirst()
    : await db
        .selectFrom('projects')
        .select('head_revision')
        .where('id', '=', row.projectId)
        .where('workspace_id', '=', row.workspaceId)
        .executeTakeFirst()
  return r?.head_revision
}
