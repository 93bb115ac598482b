import type { Kysely } from 'kysely'
import { AppError } from '../../core/errors.ts'
import type { Store, StoreReads, StoreTx } from '../store.ts'
import { addonReads, addonRepo } from './addon-repo.ts'
import { auditEventReads, auditEventRepo } from './audit-repo.ts'
import { dataKeyReads, dataKeyRepo } from './data-key-repo.ts'
import type { EngineSpec } from './engine.ts'
import { environmentReads, environmentRepo } from './environment-repo.ts'
import { memberReads, memberRepo } from './member-repo.ts'
import { migrate, readVersion } from './migrate.ts'
import { projectReads, projectRepo } from './project-repo.ts'
import { releaseReads, releaseRepo } from './release-repo.ts'
import { revisionReads, revisionRepo } from './revision-repo.ts'
import { runDirectly } from './prepared.ts'
import type { Database } from './schema.ts'
import { secretRequestReads, secretRequestRepo } from './secret-request-repo.ts'
import { tokenReads, tokenRepo } from './token-repo.ts'
import { workspaceReads, workspaceRepo } from './workspace-repo.ts'
import { serverSecretReads, serverSecretRepo } from './server-secret-repo.ts'
import { webhookDeliveryReads, webhookDeliveryRepo } from './webhook-delivery-repo.ts'
import { webhookReads, webhookRepo } from './webhook-repo.ts'
import { sessionReads, sessionRepo } from './session-repo.ts'
import { authSettingsReads, authSettingsRepo } from './auth-settings-repo.ts'

/**
 * Migrates `db` and returns the Store over it. `db` must come from a dialect in
 * `src/storage/dialects/` (which translates engine errors); the store owns it from here on.
 */
export async function createKyselyStore(db: Kysely<Database>, engine: EngineSpec): Promise<Store> {
  let schemaVersion: number
  try {
    schemaVersion = await migrate(db, engine)
  } catch (err) {
    await db.destroy()
    throw err
  }
  let closed = false
  const ifOpen = () => {
    if (closed) throw new AppError('UNAVAILABLE', 'the store is closed')
  }
  return {
    engine: engine.name,
    ...guardAll(readsOver(db, engine), ifOpen),
    async transaction(fn) {
      ifOpen()
      return db.transaction().execute(async (trx) => {
        const state = { active: true }
        await directConnection(trx, state)
        try {
          return await fn(txOver(trx, engine, state))
        } finally {
          state.active = false
        }
      })
    },
    async health() {
      ifOpen()
      return {
        engine: engine.name,
        schemaVersion: Math.max(schemaVersion, await readVersion(db)),
        settings: await engine.settings(db),
      }
    },
    async close() {
      closed = true
      await db.destroy()
    },
  }
}

function readsOver(db: Kysely<Database>, engine: EngineSpec): StoreReads {
  return {
    addons: addonReads(db),
    workspaces: workspaceReads(db, engine),
    dataKeys: dataKeyReads(db, engine),
    members: memberReads(db, engine),
    projects: projectReads(db, engine),
    environments: environmentReads(db, engine),
    revisions: revisionReads(db, engine),
    releases: releaseReads(db, engine),
    tokens: tokenReads(db, engine),
    auditEvents: auditEventReads(db, engine),
    secretRequests: secretRequestReads(db, engine),
    serverSecrets: serverSecretReads(db),
    webhooks: webhookReads(db),
    webhookDeliveries: webhookDeliveryReads(db),
    sessions: sessionReads(db),
    authSettings: authSettingsReads(db),
  }
}

/**
 * Hands the connection `trx` holds to the prepared statements (see prepared.ts). It is asked of
 * the transaction's own executor, which yields exactly that connection; Kysely marks
 * `getExecutor` internal, so without it prepared statements simply take Kysely's path.
 */
async function directConnection(trx: Kysely<Database>, state: { active: boolean }) {
  if (typeof trx.getExecutor !== 'function') return
  const connection = await trx.getExecutor().provideConnection((c) => Promise.resolve(c))
  runDirectly(trx, connection, state)
}

type RepoMakers = {
  [K in keyof StoreTx]: (trx: Kysely<Database>, engine: EngineSpec) => StoreTx[K]
}

// How each repo of a transaction is made: the one list to extend when a repo is added.
const REPOS: RepoMakers = {
  addons: addonRepo,
  workspaces: workspaceRepo,
  dataKeys: dataKeyRepo,
  members: memberRepo,
  projects: projectRepo,
  environments: environmentRepo,
  revisions: revisionRepo,
  releases: releaseRepo,
  tokens: tokenRepo,
  auditEvents: auditEventRepo,
  secretRequests: secretRequestRepo,
  serverSecrets: serverSecretRepo,
  webhooks: webhookRepo,
  webhookDeliveries: webhookDeliveryRepo,
  sessions: sessionRepo,
  authSettings: authSettingsRepo,
}

/** One transaction's connection state and the repos it has made so far. */
class TxRepos {
  readonly made: Partial<StoreTx> = {}

  constructor(
    readonly trx: Kysely<Database>,
    readonly engine: EngineSpec,
    readonly state: { active: boolean },
  ) {}

  repo<K extends keyof StoreTx>(key: K): StoreTx[K] {
    if (!this.state.active)
      throw new AppError('INTERNAL', 'the transaction is over: do not keep `tx`')
    return (this.made[key] ??= REPOS[key](this.trx, this.engine))
  }
}

// One getter per repo on the prototype: an object literal of sixteen getters was built property
// by property, several microseconds on every transaction.
for (const key of Object.keys(REPOS) as (keyof StoreTx)[]) {
  Object.defineProperty(TxRepos.prototype, key, {
    get(this: TxRepos) {
      return this.repo(key)
    },
  })
}

/**
 * The repos of one transaction, each built on first use (most transactions touch two or three).
 * Reaching for a repo after the callback returned is refused: the connection is no longer ours.
 */
function txOver(trx: Kysely<Database>, engine: EngineSpec, state: { active: boolean }): StoreTx {
  // Every key of StoreTx has a getter: REPOS is typed to name each one.
  return new TxRepos(trx, engine, state) as unknown as StoreTx
}

type AnyFn = (...args: unknown[]) => Promise<unknown>

/** Runs `guard` before every method of every repo in `repos` (built once per store). */
function guardAll<T extends StoreReads>(repos: T, guard: () => void): T {
  const out: Record<string, Record<string, AnyFn>> = {}
  for (const [name, repo] of Object.entries(repos) as [string, Record<string, AnyFn>][]) {
    const wrapped: Record<string, AnyFn> = {}
    for (const [method, fn] of Object.entries(repo)) {
      wrapped[method] = async (...args) => {
        guard()
        return fn(...args)
      }
    }
    out[name] = wrapped
  }
  return out as unknown as T
}
