import type { Kysely } from 'kysely'
import type { SealedPage, SealedRow } from '../store.ts'
import { bytes, pageSize, touched } from './codec.ts'
import type { Database } from './schema.ts'

// What data-key rotation needs from the two tables that hold ciphertexts (revisions and release
// snapshots): page through the rows under one key, count them, and swap one blob by
// compare-and-set on its key id, so a re-run or a concurrent rotation never re-seals twice.

type SealedTable = 'revisions' | 'releases'

/** Rows of `table` in `workspaceId` sealed under `keyId`, in id order after `page.afterId`. */
export async function listSealedByKey(
  db: Kysely<Database>,
  table: SealedTable,
  workspaceId: string,
  keyId: string,
  page: SealedPage = {},
): Promise<SealedRow[]> {
  let q = db
    .selectFrom(table)
    .select(['id', 'workspace_id', 'project_id', 'environment_id', 'key_id', 'sealed'])
    .where('workspace_id', '=', workspaceId)
    .where('key_id', '=', keyId)
  if (page.afterId !== undefined) q = q.where('id', '>', page.afterId)
  const rows = await q.orderBy('id').limit(pageSize(page.limit)).execute()
  return rows.flatMap((r) =>
    r.sealed === null || r.key_id === null
      ? []
      : [
          {
            id: r.id,
            workspaceId: r.workspace_id,
            projectId: r.project_id,
            environmentId: r.environment_id,
            keyId: r.key_id,
            sealed: r.sealed,
          },
        ],
  )
}

/** How many rows of `table` in `workspaceId` are sealed under `keyId`. */
export async function countByKey(
  db: Kysely<Database>,
  table: SealedTable,
  workspaceId: string,
  keyId: string,
): Promise<number> {
  const r = await db
    .selectFrom(table)
    .select((eb) => eb.fn.countAll().as('n'))
    .where('workspace_id', '=', workspaceId)
    .where('key_id', '=', keyId)
    .executeTakeFirst()
  return Number(r?.n ?? 0)
}

/** Replaces one row's blob and key id if the row is still under `fromKeyId`. */
export async function reseal(
  db: Kysely<Database>,
  table: SealedTable,
  row: { workspaceId: string; id: string; fromKeyId: string },
  sealed: Uint8Array,
  toKeyId: string,
): Promise<boolean> {
  const res = await db
    .updateTable(table)
    .set({ sealed: bytes(sealed), key_id: toKeyId })
    .where('workspace_id', '=', row.workspaceId)
    .where('id', '=', row.id)
    .where('key_id', '=', row.fromKeyId)
    .executeTakeFirst()
  return touched(res)
}
