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

/**
 * The repos of one transaction, each built on first use (most transactions touch two or three).
 * Reaching for a repo after the callback returned is refused: the connection is no longer ours.
 */
function txOver(trx: Kysely<Database>, engine: EngineSpec, state: { active: boolean }): StoreTx {
  return new TxRepos(trx, engine, state)
}

// A class, so its getters live on the prototype: an object literal of sixteen getters was
// built property by property, several microseconds on every transaction.
class TxRepos implements StoreTx {
  private readonly made: Partial<StoreTx> = {}

  constructor(
    private readonly trx: Kysely<Database>,
    private readonly engine: EngineSpec,
    private readonly state: { active: boolean },
  ) {}

  private get<K extends keyof StoreTx>(key: K, make: () => StoreTx[K]): StoreTx[K] {
    if (!this.state.active)
      throw new AppError('INTERNAL', 'the transaction is over: do not keep `tx`')
    return (this.made[key] ??= make())
  }

  get addons(): StoreTx['addons'] {
    return this.get('addons', () => addonRepo(this.trx))
  }

  get workspaces(): StoreTx['workspaces'] {
    return this.get('workspaces', () => workspaceRepo(this.trx, this.engine))
  }

  get dataKeys(): StoreTx['dataKeys'] {
    return this.get('dataKeys', () => dataKeyRepo(this.trx, this.engine))
  }

  get members(): StoreTx['members'] {
    return this.get('members', () => memberRepo(this.trx, this.engine))
  }

  get projects(): StoreTx['projects'] {
    return this.get('projects', () => projectRepo(this.trx, this.engine))
  }

  get environments(): StoreTx['environments'] {
    return this.get('environments', () => environmentRepo(this.trx, this.engine))
  }

  get revisions(): StoreTx['revisions'] {
    return this.get('revisions', () => revisionRepo(this.trx, this.engine))
  }

  get releases(): StoreTx['releases'] {
    return this.get('releases', () => releaseRepo(this.trx, this.engine))
  }

  get tokens(): StoreTx['tokens'] {
    return this.get('tokens', () => tokenRepo(this.trx, this.engine))
  }

  get auditEvents(): StoreTx['auditEvents'] {
    return this.get('auditEvents', () => auditEventRepo(this.trx, this.engine))
  }

  get secretRequests(): StoreTx['secretRequests'] {
    return this.get('secretRequests', () => secretRequestRepo(this.trx, this.engine))
  }

  get serverSecrets(): StoreTx['serverSecrets'] {
    return this.get('serverSecrets', () => serverSecretRepo(this.trx))
  }

  get webhooks(): StoreTx['webhooks'] {
    return this.get('webhooks', () => webhookRepo(this.trx))
  }

  get webhookDeliveries(): StoreTx['webhookDeliveries'] {
    return this.get('webhookDeliveries', () => webhookDeliveryRepo(this.trx))
  }

  get sessions(): StoreTx['sessions'] {
    return this.get('sessions', () => sessionRepo(this.trx))
  }

  get authSettings(): StoreTx['authSettings'] {
    return this.get('authSettings', () => authSettingsRepo(this.trx))
  }
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
