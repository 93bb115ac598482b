// Builds the server's parts from a parsed config: store, root key, keyring, pepper, services,
// routes. Kept apart from server.ts so tests and benchmarks can build the same app in-process.
import { chmodSync, mkdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import type { ServerConfig } from '../config/server-config.ts'
import type { EventBus } from '../core/events.ts'
import {
  createKeyring,
  createMultiKeyProvider,
  createStaticKeyProvider,
  guardKeyFileWraps,
  loadOrCreateKeyFile,
  loadPreviousKeyFile,
  type KeyProvider,
} from '../crypto/index.ts'
import type { RouteRegistrar } from '../http/build-server.ts'
import { accessRoutes } from '../http/routes/access.ts'
import { addonRoutes } from '../http/routes/addons.ts'
import { dashboardRoutes } from '../http/routes/dashboard.ts'
import { documentRoutes } from '../http/routes/documents.ts'
import { eventRoutes } from '../http/routes/events.ts'
import { keyRoutes } from '../http/routes/keys.ts'
import { projectRoutes } from '../http/routes/projects.ts'
import { releaseRoutes } from '../http/routes/releases.ts'
import { scanRoutes } from '../http/routes/scan.ts'
import { secretRequestRoutes } from '../http/routes/secret-requests.ts'
import { settingsRoutes } from '../http/routes/settings.ts'
import { sessionRoutes } from '../http/routes/session.ts'
import { createSessionSettings } from '../services/sessions/auth-settings.ts'
import { createSessionService } from '../services/sessions/session-service.ts'
import { createTokenSignIn } from '../services/sessions/token-sign-in.ts'
import { ssoRoutes } from '../http/routes/sso.ts'
import { createOidcClients } from '../services/sessions/oidc-client.ts'
import { createSsoConfig } from '../services/sessions/sso-config.ts'
import { createSsoService, type SsoService } from '../services/sessions/sso-service.ts'
import { varRoutes } from '../http/routes/vars.ts'
import { webhookRoutes } from '../http/routes/webhooks.ts'
import { systemClock, type Clock } from '../services/context.ts'
import { createDocumentService } from '../services/documents/document-service.ts'
import { createAddonService, type AddonDeps } from '../services/addons/addon-service.ts'
import { createPostgresProvisioner } from '../services/addons/postgres-provisioner.ts'
import { previewAddons } from '../services/addons/preview-fork.ts'
import { createKeyService } from '../services/keys/key-service.ts'
import { createMemoryEventBus } from '../services/events/memory-event-bus.ts'
import { createMemberService } from '../services/members/member-service.ts'
import { createProjectService } from '../services/projects/project-service.ts'
import { createReleaseService } from '../services/releases/release-service.ts'
import { createScanService } from '../services/scan/scan-service.ts'
import { createWebhooks } from '../services/webhooks/index.ts'
import { createSecretRequestService } from '../services/secret-requests/secret-request-service.ts'
import { withAutoDeploy } from '../services/releases/auto-deploy.ts'
import { createPreviewService } from '../services/previews/preview-service.ts'
import { createSettingsService } from '../services/projects/settings-service.ts'
import { createTokenService } from '../services/tokens/token-service.ts'
import { createVariableService } from '../services/variables/variable-service.ts'
import { bootstrapWorkspace } from '../services/workspaces/bootstrap.ts'
import { loadOrCreatePepper } from '../services/workspaces/pepper.ts'
import { openStore, type OpenStoreOptions } from '../storage/open-store.ts'
import type { Store } from '../storage/store.ts'

export interface Wired {
  store: Store
  events: EventBus
  routes: RouteRegistrar[]
  authenticate: ReturnType<typeof createTokenService>['authenticate']
  /** Session secrets (dashboard cookie, `tresor login --sso` bearer) → actor. */
  authenticateSession: ReturnType<typeof createSessionService>['authenticate']
  /** Set on the first start only when Tresor made the owner token (it is in this file). */
  ownerTokenFile: string | undefined
  /** Removes expired previews; the server runs it every minute. */
  sweepExpired: () => Promise<number>
  /** Starts the webhook delivery worker (stopped by `close`); the server calls it once. */
  startWebhooks: ReturnType<typeof createWebhooks>['start']
  /** Throws unless the database answers and the root key opens the workspace's data key. */
  ready: () => Promise<void>
  close: () => Promise<void>
}

type WireConfig = Pick<
  ServerConfig,
  'dataDir' | 'databaseUrl' | 'rootKey' | 'rootKeyPrevious' | 'bootstrapToken' | 'publicUrl'
> &
  Partial<Pick<ServerConfig, 'webhookAllowPrivate'>> &
  AddonWireConfig

/** The built-in postgres add-on's settings (TRESOR_ADDON_POSTGRES_ADMIN_URL). */
interface AddonWireConfig {
  addonPostgresAdminUrl?: string | undefined
  /** Prefix of the add-on databases' and roles' names (tests give each run its own). */
  addonPostgresPrefix?: string
}

/** The built-in postgres add-on, when the config has an admin URL for it. */
function postgresAddon(config: AddonWireConfig): AddonDeps['postgres'] {
  if (config.addonPostgresAdminUrl === undefined) return undefined
  return {
    provisioner: createPostgresProvisioner({
      adminUrl: config.addonPostgresAdminUrl,
      path: process.env['PATH'],
    }),
    prefix: config.addonPostgresPrefix ?? 'tresor_',
  }
}

/**
 * The root key (TRESOR_ROOT_KEY, else the data dir's key file) plus the keys a rotation replaced
 * (TRESOR_ROOT_KEY_PREVIOUS, and root.key.previous in key-file mode), which only unwrap.
 */
async function rootKeyProvider(config: WireConfig): Promise<KeyProvider> {
  const previous = (config.rootKeyPrevious ?? []).map((key, i) =>
    createStaticKeyProvider(key, `TRESOR_ROOT_KEY_PREVIOUS key ${i + 1}`),
  )
  if (config.rootKey !== undefined) {
    return createMultiKeyProvider(createStaticKeyProvider(config.rootKey), previous)
  }
  const current = (await loadOrCreateKeyFile(config.dataDir)).provider
  const fromFile = await loadPreviousKeyFile(config.dataDir)
  const provider = createMultiKeyProvider(
    current,
    fromFile === undefined ? previous : [fromFile, ...previous],
  )
  // keys:rotate-root may replace the file while this server runs: never wrap with a stale key.
  return guardKeyFileWraps(provider, config.dataDir)
}

/** Store options beyond the config: tests and benchmarks give each run its own schema. */
export type WireStoreOptions = Pick<OpenStoreOptions, 'schema' | 'poolSize'>

/** Opens the store, loads keys, bootstraps an empty store, and builds services and routes. */
export async function wire(
  config: WireConfig,
  clock: Clock = systemClock,
  storeOptions: WireStoreOptions = {},
): Promise<Wired> {
  mkdirSync(config.dataDir, { recursive: true, mode: 0o700 })
  const provider = await rootKeyProvider(config)
  const store = await openStore(
    config.databaseUrl === undefined
      ? { sqlitePath: join(config.dataDir, 'tresor.db') }
      : { url: config.databaseUrl, ...storeOptions },
  )
  try {
    const pepper = await loadOrCreatePepper(store, provider, clock)
    const boot = await bootstrapWorkspace({
      store,
      provider,
      pepper,
      clock,
      ...(config.bootstrapToken === undefined ? {} : { bootstrapToken: config.bootstrapToken }),
    })
    let ownerTokenFile: string | undefined
    if (boot.ownerToken !== undefined && config.bootstrapToken === undefined) {
      ownerTokenFile = join(config.dataDir, 'owner-token')
      writeFileSync(ownerTokenFile, `${boot.ownerToken}\n`, { mode: 0o600, flag: 'wx' })
      chmodSync(ownerTokenFile, 0o600)
    }
    const keyring = createKeyring({
      provider,
      loadWrappedKey: async (ws, keyId) =>
        (await store.dataKeys.loadWrappedKey(ws, keyId))?.wrappedKey,
      loadCurrentKeyId: (ws) => store.dataKeys.loadCurrentKeyId(ws),
    })
    const events =
      config.databaseUrl === undefined
        ? createMemoryEventBus()
        : (await import('../storage/dialects/postgres-event-bus.ts')).createPostgresEventBus({
            url: config.databaseUrl,
            ...(storeOptions.schema === undefined ? {} : { schema: storeOptions.schema }),
          })
    const keys = createKeyService({
      store,
      keyring,
      provider,
      clock,
      // No value or key material can reach this line: AppError messages never carry any.
      onGuardError: (err) => process.stderr.write(`nonce guard: ${String(err)}\n`),
    })
    const rawDocuments = createDocumentService({
      store,
      keyring,
      clock,
      events,
      onSealed: keys.sealGuard,
    })
    const webhooks = createWebhooks({
      ...{ store, keyring, clock },
      allowInternal: config.webhookAllowPrivate === true,
    })
    const releases = createReleaseService({
      store,
      documents: rawDocuments,
      keyring,
      clock,
      events,
      hooks: webhooks.releaseHooks,
    })
    // Writes through the API auto-deploy environments that opted in; releases and previews use
    // the plain service (a rollback's own revision must not trigger a second release).
    const documents = withAutoDeploy(rawDocuments, { store, releases })
    const variables = createVariableService({ store, documents, clock })
    const postgres = postgresAddon(config)
    const addons = createAddonService({ store, documents, clock, postgres })
    const projects = createProjectService({
      store,
      clock,
      beforeEnvironmentDelete: addons.teardown,
    })
    const tokens = createTokenService({ store, pepper, clock })
    const members = createMemberService({ store, clock })
    const previews = createPreviewService({
      store,
      documents: rawDocuments,
      clock,
      addons: {
        fork: (...args) => previewAddons({ store, postgres }, ...args),
        teardown: addons.teardown,
      },
    })
    const settings = createSettingsService({ store, clock })
    // The session service asks the IdP through the SSO service, which opens sessions: late-bound.
    const late: { sso?: SsoService } = {}
    const sessions = createSessionService({
      store,
      keyring,
      pepper,
      clock,
      idpRefresh: (row, refreshToken) =>
        late.sso === undefined
          ? Promise.resolve({ ok: false, reason: 'sso not ready' })
          : late.sso.idpRefresh(row, refreshToken),
    })
    const oidcClients = createOidcClients({ keyring })
    const sso = createSsoService({ store, clock, pepper, oidcClients, sessions })
    late.sso = sso
    const tokenSignIn = createTokenSignIn({ store, authenticate: tokens.authenticate, sessions })
    const deps = { store, documents, variables, projects, tokens, events }
    const routes = [
      projectRoutes(deps),
      varRoutes(deps),
      documentRoutes(deps),
      accessRoutes({ ...deps, members }),
      eventRoutes(deps),
      releaseRoutes({ ...deps, releases }),
      settingsRoutes({ ...deps, settings, previews }),
      webhookRoutes({ store, webhooks: webhooks.service }),
      secretRequestRoutes({
        ...deps,
        secretRequests: createSecretRequestService({ store, variables, pepper, clock }),
      }),
      sessionRoutes({
        sessions,
        tokenSignIn,
        sessionSettings: createSessionSettings({ store, clock }),
        publicUrl: config.publicUrl,
      }),
      addonRoutes({ addons }),
      ssoRoutes({
        sso,
        ssoConfig: createSsoConfig({ store, keyring, clock }),
        publicUrl: config.publicUrl,
      }),
      dashboardRoutes(),
      keyRoutes({ keys }),
      scanRoutes({ scan: createScanService({ store, documents: rawDocuments, provider, clock }) }),
    ]
    const close = async () => {
      await webhooks.stop()
      await events.close()
      await store.close()
    }
    return {
      store,
      events,
      routes,
      authenticate: tokens.authenticate,
      authenticateSession: sessions.authenticate,
      ownerTokenFile,
      sweepExpired: previews.sweepExpired,
      startWebhooks: webhooks.start,
      ready: async () => {
        await store.health()
        await keyring.currentKey(boot.workspaceId)
      },
      close,
    }
  } catch (err) {
    await store.close()
    throw err
  }
}
