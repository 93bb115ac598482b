// Setup for bench/documents.bench.ts: a Tresor server's document service on SQLite, wired the way
// src/main/wire.ts wires it (static root key, keyring, bootstrap), and the raw baseline table.
import { randomBytes } from 'node:crypto'
import { join } from 'node:path'
import BetterSqlite3 from 'better-sqlite3'
import { mergeDocument } from '../src/core/dotenv/index.ts'
import { newId } from '../src/core/ids.ts'
import { createKeyring, createStaticKeyProvider } from '../src/crypto/index.ts'
import { systemClock, type RequestContext } from '../src/services/context.ts'
import {
  createDocumentService,
  type DocumentService,
} from '../src/services/documents/document-service.ts'
import { createProjectService } from '../src/services/projects/project-service.ts'
import { bootstrapWorkspace } from '../src/services/workspaces/bootstrap.ts'
import { openStore } from '../src/storage/open-store.ts'
import type { DocumentScope, Store } from '../src/storage/store.ts'

export const VARS = 100

/** A value like a real secret: 32 random bytes in base64 (44 characters). */
export const secretValue = (): string => randomBytes(32).toString('base64')

export interface Tresor {
  store: Store
  documents: DocumentService
  ctx: RequestContext
  scopes: DocumentScope[]
}

/** A Tresor store at `path` with `envs` environments, each holding VARS variables. */
export async function seedTresor(path: string, envs: number): Promise<Tresor> {
  const store = await openStore({ sqlitePath: path })
  const provider = createStaticKeyProvider(randomBytes(32))
  const clock = systemClock
  const pepper = randomBytes(32)
  const { workspaceId } = await bootstrapWorkspace({ store, provider, pepper, clock })
  const ctx = await ownerContext(store, workspaceId)
  const environments = Array.from({ length: envs }, (_, i) => `env-${i}`)
  const { project, envs: rows } = await createProjectService({ store, clock }).create(ctx, {
    slug: 'app',
    environments,
  })
  const keyring = createKeyring({
    provider,
    loadWrappedKey: async (ws, keyId) =>
      (await store.dataKeys.loadWrappedKey(ws, keyId))?.wrappedKey,
    loadCurrentKeyId: (ws) => store.dataKeys.loadCurrentKeyId(ws),
  })
  const documents = createDocumentService({ store, keyring, clock })
  const scopes = rows.map((env) => ({ workspaceId, projectId: project.id, environmentId: env.id }))
  const set = Array.from({ length: VARS }, (_, i): [string, string] => [
    `APP_SETTING_${i}`,
    secretValue(),
  ])
  const kinds = new Map(set.map(([k], i) => [k, i % 2 === 0 ? 'secret' : 'config'] as const))
  for (const scope of scopes) {
    await documents.commit(scope, ctx, (state) => ({
      doc: mergeDocument(state.doc, { set }).doc,
      kinds,
      changedKeys: set.map(([k]) => k),
      audit: { action: 'vars.merge', keys: set.map(([k]) => k) },
      result: undefined,
    }))
  }
  return { store, documents, ctx, scopes }
}

/** The request context of the workspace's owner, as the auth hook would hand it over. */
async function ownerContext(store: Store, workspaceId: string): Promise<RequestContext> {
  const owner = (await store.members.list(workspaceId))[0]
  if (owner === undefined) throw new Error('bootstrap made no owner')
  return {
    actor: {
      ...{ kind: 'member', id: owner.id, workspaceId, memberId: owner.id, role: 'owner' },
      ...{ scopes: ['admin'], tokenId: 'tok_bench' },
    },
  }
}

/** Sets one variable through the document service: seal + revision + audit row, one commit. */
export function setOne(t: Tresor, scope: DocumentScope, key: string): Promise<unknown> {
  return t.documents.commit(scope, t.ctx, (state) => ({
    doc: mergeDocument(state.doc, { set: [[key, secretValue()]] }).doc,
    changedKeys: [key],
    audit: { action: 'vars.set', keys: [key] },
    result: undefined,
  }))
}

/** The per-value table of research/performance.md §4, durable (WAL, synchronous=FULL), 100 rows. */
export function rawVars(dir: string, file = 'raw.db'): BetterSqlite3.Database {
  const raw = new BetterSqlite3(join(dir, file))
  raw.pragma('journal_mode = WAL')
  raw.pragma('synchronous = FULL')
  raw.exec(`create table vars (env_id text, key text, value blob, version integer,
    updated_at text, primary key (env_id, key)) without rowid`)
  const insert = raw.prepare('insert into vars values (?, ?, ?, 1, ?)')
  raw.transaction(() => {
    for (let i = 0; i < VARS; i++) {
      insert.run('env_read', `APP_SETTING_${i}`, randomBytes(68), new Date().toISOString())
    }
  })()
  return raw
}

/** The statements of one Tresor commit, prepared on a raw connection to a Tresor database. */
function floorStatements(raw: BetterSqlite3.Database) {
  return {
    begin: raw.prepare('begin immediate'),
    commit: raw.prepare('commit'),
    env: raw.prepare('select head_revision from environments where id = ?').pluck(),
    latest: raw.prepare('select * from revisions where scope_id = ? order by number desc limit 1'),
    moveEnv: raw.prepare(
      'update environments set head_revision = ? where id = ? and head_revision = ?',
    ),
    rev: raw.prepare(`insert into revisions (id, workspace_id, project_id, environment_id, scope_id,
      number, author_id, created_at, changed_keys, key_index, sealed, key_id)
      values (?, ?, ?, ?, ?, ?, 'mem_b', ?, '["APP_SETTING_1"]', ?, ?, ?)`),
    ws: raw.prepare('select audit_seq, audit_hash from workspaces where id = ?'),
    moveWs: raw.prepare(
      'update workspaces set audit_seq = ?, audit_hash = ? where id = ? and audit_seq = ?',
    ),
    audit: raw.prepare(`insert into audit_events (id, workspace_id, seq, at, actor_id, actor_kind,
      action, project_id, environment_id, keys, outcome, detail, prev_hash, hash)
      values (?, ?, ?, ?, 'mem_b', 'member', 'vars.set', ?, ?, '["APP_SETTING_1"]', 'success',
      '{"revision":1}', ?, ?)`),
  }
}

/**
 * The statements of one Tresor commit in raw SQL on Tresor's own schema, with rows the size of
 * `like`'s latest revision, without crypto, parsing or Kysely: the floor the engine sets for this
 * write. It writes random blobs into `scope` of a copy of the database at `path`.
 */
export async function rawCommitFloor(
  t: Tresor,
  path: string,
  like: DocumentScope,
  scope: DocumentScope,
) {
  const head = await t.store.revisions.latest(like)
  if (head === undefined) throw new Error('write the model environment first')
  // On a copy of the database: written through a second connection, the same file made every
  // Tresor round start from a reset page cache (its commits cost about 7% more side by side).
  const copy = `${path}.floor`
  const source = new BetterSqlite3(path)
  source.exec(`vacuum into '${copy.replaceAll("'", "''")}'`)
  source.close()
  const raw = new BetterSqlite3(copy)
  raw.pragma('journal_mode = WAL')
  raw.pragma('synchronous = FULL')
  const q = floorStatements(raw)
  // The key index as the model revision stores it (a revision that keeps its parent's keys and
  // kinds stores a short mark, not a copy), so the rows are the size Tresor writes.
  const keyIndex = raw
    .prepare('select key_index from revisions where id = ?')
    .pluck()
    .get(head.id) as string
  const { workspaceId: ws, projectId: prj, environmentId } = scope
  const env = environmentId ?? ''
  const commit = () => {
    q.begin.run()
    const n = (q.env.get(env) as number) + 1
    q.latest.get(env)
    q.moveEnv.run(n, env, n - 1)
    const at = new Date().toISOString()
    const sealed = randomBytes(head.sealed.length)
    q.rev.run(newId('revision'), ws, prj, env, env, n, at, keyIndex, sealed, head.keyId)
    const audit = q.ws.get(ws) as { audit_seq: number; audit_hash: string }
    const hash = randomBytes(32).toString('hex')
    q.moveWs.run(audit.audit_seq + 1, hash, ws, audit.audit_seq)
    q.audit.run(newId('audit'), ws, audit.audit_seq + 1, at, prj, env, audit.audit_hash, hash)
    q.commit.run()
  }
  return { commit, close: () => raw.close() }
}
