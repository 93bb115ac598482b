import * as oidc from 'openid-client'
import type { Aad, Keyring } from '../../crypto/index.ts'
import { AppError } from '../../core/errors.ts'
import type { AuthSettingsRow } from '../../storage/store.ts'

/** The sealed client secret's AAD: bound to its workspace, never usable as another row. */
export function clientSecretAad(workspaceId: string): Aad {
  return { workspaceId, projectId: '~sso', environmentId: '~sso', revisionId: 'client-secret' }
}

// Plain http is refused by openid-client; it is allowed here only for a provider on this machine
// (a local Keycloak, the tests' provider), never across a network.
function isLoopback(url: URL): boolean {
  return ['127.0.0.1', 'localhost', '[::1]'].includes(url.hostname)
}

/**
 * The openid-client Configuration of each workspace's provider (discovery once per settings
 * version). ID token signatures are checked even on the back channel (non-repudiation checks).
 */
export function createOidcClients(deps: { keyring: Keyring }) {
  const cache = new Map<string, { version: string; config: Promise<oidc.Configuration> }>()

  async function discover(settings: AuthSettingsRow): Promise<oidc.Configuration> {
    if (
      settings.ssoIssuer === null ||
      settings.ssoClientId === null ||
      settings.ssoSealedSecret === null
    )
      throw new AppError('NOT_FOUND', 'single sign-on is not configured for this workspace')
    const secret = (
      await deps.keyring.open(settings.ssoSealedSecret, clientSecretAad(settings.workspaceId))
    ).toString('utf8')
    const issuer = new URL(settings.ssoIssuer)
    const execute = [oidc.enableNonRepudiationChecks]
    if (issuer.protocol === 'http:' && isLoopback(issuer)) execute.push(oidc.allowInsecureRequests)
    return oidc.discovery(issuer, settings.ssoClientId, undefined, oidc.ClientSecretBasic(secret), {
      execute,
      timeout: 10,
    })
  }

  /** The provider's configuration for these settings (cached until they change). */
  function configFor(settings: AuthSettingsRow): Promise<oidc.Configuration> {
    const version = `${settings.updatedAt}|${settings.ssoIssuer}|${settings.ssoClientId}`
    const hit = cache.get(settings.workspaceId)
    if (hit !== undefined && hit.version === version) return hit.config
    const config = discover(settings)
    // A failed discovery (provider down) is retried on the next login, not cached.
    config.catch(() => cache.delete(settings.workspaceId))
    cache.set(settings.workspaceId, { version, config })
    return config
  }

  return { configFor }
}

export type OidcClients = ReturnType<typeof createOidcClients>
export { oidc }
