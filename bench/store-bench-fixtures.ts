// Setup for bench/store.bench.ts: a seeded Tresor store, the raw baselines, and a large
// database filled behind the store's back (setup only; every measured Tresor call uses the port).
import { randomBytes } from 'node:crypto'
import { join } from 'node:path'
import BetterSqlite3 from 'better-sqlite3'
import { newId } from '../src/core/ids.ts'
import { openStore } from '../src/storage/open-store.ts'
import type { DocumentScope, Store, StoreTx } from '../src/storage/store.ts'

export const DOC_BYTES = 4096 // ~100 variables sealed as one document

export interface Seeded {
  store: Store
  scope: DocumentScope
  keyId: string
}

function durable(path: string): BetterSqlite3.Database {
  const raw = new BetterSqlite3(path)
  raw.pragma('journal_mode = WAL')
  raw.pragma('synchronous = FULL')
  raw.pragma('foreign_keys = ON')
  return raw
}

/** A raw table like the per-value prototype's (research/performance.md §4), 100 rows. */
export function rawVars(dir: string): BetterSqlite3.Database {
  const raw = durable(join(dir, 'raw.db'))
  raw.exec(`create table vars (env_id text, key text, value blob, version integer,
    updated_at text, primary key (env_id, key)) without rowid`)
  const insert = raw.prepare('insert into vars values (?, ?, ?, 1, ?)')
  raw.transaction(() => {
    for (let i = 0; i < 100; i++) insert.run('env_read', `KEY_${i}`, randomBytes(68), 'now')
  })()
  return raw
}

/** A store at `path` with one environment holding `revisions` revisions. */
export async function seedStore(path: string, revisions: number): Promise<Seeded> {
  const store = await openStore({ sqlitePath: path })
  const seeded = await store.transaction(async (tx) => {
    const ws = await tx.workspaces.create({ id: newId('workspace'), name: 'b', createdAt: 'now' })
    const keyId = `${newId('dataKey')}:v1`
    const key = { id: keyId, workspaceId: ws.id, version: 1, rootKeyId: 'root' }
    await tx.dataKeys.create({
      ...key,
      state: 'current',
      wrappedKey: randomBytes(60),
      createdAt: 'now',
    })
    const prj = { id: newId('project'), workspaceId: ws.id, slug: 'app', name: 'a' }
    await tx.projects.create({ ...prj, requiredKeys: [], createdAt: 'now' })
    const scope = { workspaceId: ws.id, projectId: prj.id, environmentId: newId('environment') }
    const env = { id: scope.environmentId, workspaceId: ws.id, projectId: prj.id, slug: 'prod' }
    await tx.environments.create({
      ...{ ...env, parentId: null, expiresAt: null, autoDeploy: false },
      ...{ requiredKeys: [], createdAt: 'now' },
    })
    for (let n = 1; n <= revisions; n++) await appendRevision(tx, scope, keyId, n)
    return { scope, keyId }
  })
  return { store, ...seeded }
}

/** Appends revision `number` with a fresh DOC_BYTES document. */
export async function appendRevision(
  tx: StoreTx,
  scope: DocumentScope,
  keyId: string,
  number: number,
): Promise<void> {
  await tx.revisions.append({
    ...{ id: newId('revision'), ...scope, number, authorId: 'mem_b', createdAt: 'now' },
    ...{ message: null, changedKeys: ['KEY_1'], keyIndex: [{ key: 'KEY_1', kind: 'secret' }] },
    ...{ sealed: randomBytes(DOC_BYTES), keyId },
  })
}

/** The same statements as a Tresor write, in raw SQL on a Tresor schema: the engine's floor. */
export function rawSameTransaction(path: string, s: DocumentScope, keyId: string): () => void {
  const raw = durable(path)
  const begin = raw.prepare('begin immediate')
  const commit = raw.prepare('commit')
  const env = raw.prepare('select head_revision as h from environments where id = ?').pluck()
  const moveEnv = raw.prepare(
    'update environments set head_revision = ? where id = ? and head_revision = ?',
  )
  const rev = raw.prepare(`insert into revisions (id, workspace_id, project_id, environment_id,
    scope_id, number, author_id, created_at, changed_keys, key_index, sealed, key_id)
    values (?, ?, ?, ?, ?, ?, 'mem_b', 'now', '["KEY_1"]', '[]', ?, ?)`)
  const ws = raw.prepare('select audit_seq from workspaces where id = ?').pluck()
  const moveWs = raw.prepare(
    'update workspaces set audit_seq = ?, audit_hash = ? where id = ? and audit_seq = ?',
  )
  const audit = raw.prepare(`insert into audit_events (id, workspace_id, seq, at, actor_id,
    actor_kind, action, keys, outcome, detail, hash) values (?, ?, ?, 'now', 'mem_b', 'member',
    'vars.set', '["KEY_1"]', 'success', '{}', ?)`)
  const envId = s.environmentId ?? ''
  return () => {
    begin.run()
    const n = (env.get(envId) as number) + 1
    moveEnv.run(n, envId, n - 1)
    rev.run(
      newId('revision'),
      s.workspaceId,
      s.projectId,
      envId,
      envId,
      n,
      randomBytes(DOC_BYTES),
      keyId,
    )
    const seq = (ws.get(s.workspaceId) as number) + 1
    const hash = randomBytes(32).toString('hex')
    moveWs.run(seq, hash, s.workspaceId, seq - 1)
    audit.run(newId('audit'), s.workspaceId, seq, hash)
    commit.run()
  }
}

/** Adds `envs` environments × `revisions` revisions to the store file at `path`. */
export function fillMany(
  path: string,
  s: DocumentScope,
  keyId: string,
  envs: number,
  revisions: number,
): string[] {
  const raw = new BetterSqlite3(path)
  const env = raw.prepare(`insert into environments (id, workspace_id, project_id, slug,
    required_keys, head_revision, created_at) values (?, ?, ?, ?, '[]', ?, 'now')`)
  const rev = raw.prepare(`insert into revisions (id, workspace_id, project_id, environment_id,
    scope_id, number, author_id, created_at, changed_keys, key_index, sealed, key_id)
    values (?, ?, ?, ?, ?, ?, 'mem_b', 'now', '[]', '[]', ?, ?)`)
  const ids: string[] = []
  raw.transaction(() => {
    for (let e = 0; e < envs; e++) {
      const id = newId('environment')
      ids.push(id)
      env.run(id, s.workspaceId, s.projectId, `env-${e}`, revisions)
      for (let n = 1; n <= revisions; n++) {
        rev.run(
          newId('revision'),
          s.workspaceId,
          s.projectId,
          id,
          id,
          n,
          randomBytes(DOC_BYTES),
          keyId,
        )
      }
    }
  })()
  raw.close()
  return ids
}
