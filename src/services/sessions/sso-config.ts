import { assertCan, type Role } from '../../core/actor.ts'
import { parseSealedHeader, type Keyring } from '../../crypto/index.ts'
import { AppError } from '../../core/errors.ts'
import type { AuthSettingsRow, Store } from '../../storage/store.ts'
import { appendAudit } from '../audit/audit-service.ts'
import type { Clock, RequestContext } from '../context.ts'
import { authSettingsOf } from './auth-settings.ts'
import { clientSecretAad } from './oidc-client.ts'

export interface SsoConfigInput {
  issuer: string
  clientId: string
  clientSecret?: string | undefined
  allowedDomains: string[]
  roleClaim: string | null
  roleMap: Record<string, Role>
  defaultRole: Role | null
}

const DOMAIN = /^(?=.{1,253}$)([a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$|^localhost$/

/** True when the row names a provider Tresor can sign in with. */
export function ssoConfigured(r: AuthSettingsRow): boolean {
  return r.ssoIssuer !== null && r.ssoClientId !== null && r.ssoSealedSecret !== null
}

/** The workspace's OIDC provider: admins set and read it; the client secret never leaves sealed. */
export function createSsoConfig(deps: { store: Store; keyring: Keyring; clock: Clock }) {
  const { store, keyring, clock } = deps

  function view(r: AuthSettingsRow, redirectUri: string | null) {
    return {
      enabled: ssoConfigured(r),
      issuer: r.ssoIssuer,
      clientId: r.ssoClientId,
      clientSecretSet: r.ssoSealedSecret !== null,
      allowedDomains: r.ssoAllowedDomains,
      roleClaim: r.ssoRoleClaim,
      roleMap: r.ssoRoleMap,
      defaultRole: r.ssoDefaultRole,
      redirectUri: ssoConfigured(r) ? redirectUri : null,
    }
  }

  async function get(ctx: RequestContext, redirectUri: string) {
    assertCan(ctx.actor, 'admin')
    return view(await authSettingsOf(store, ctx.actor.workspaceId, clock.now()), redirectUri)
  }

  async function put(ctx: RequestContext, input: SsoConfigInput, redirectUri: string) {
    assertCan(ctx.actor, 'admin')
    const ws = ctx.actor.workspaceId
    const issuer = new URL(input.issuer)
    if (
      issuer.protocol !== 'https:' &&
      !['127.0.0.1', 'localhost', '[::1]'].includes(issuer.hostname)
    )
      throw new AppError('VALIDATION_FAILED', 'the issuer must be an https:// URL', [
        {
          field: 'issuer',
          message: 'https only (http is accepted for a provider on this machine)',
        },
      ])
    const domains = input.allowedDomains.map((d) => d.trim().toLowerCase())
    const bad = domains.findIndex((d) => !DOMAIN.test(d))
    if (bad !== -1)
      throw new AppError('VALIDATION_FAILED', `allowedDomains[${bad}] is not a domain name`, [
        { field: `allowedDomains[${bad}]`, message: 'expected a domain such as example.com' },
      ])
    const now = clock.now()
    const current = await authSettingsOf(store, ws, now)
    if (input.clientSecret === undefined && current.ssoSealedSecret === null)
      throw new AppError('VALIDATION_FAILED', 'clientSecret is required the first time', [
        { field: 'clientSecret', message: 'required' },
      ])
    const sealed =
      input.clientSecret === undefined
        ? current.ssoSealedSecret
        : await keyring.seal(input.clientSecret, clientSecretAad(ws))
    const next: AuthSettingsRow = {
      ...current,
      ssoIssuer: issuer.href.replace(/\/$/, ''),
      ssoClientId: input.clientId,
      ssoSealedSecret: sealed,
      ssoKeyId: sealed === null ? null : parseSealedHeader(sealed).keyId,
      ssoAllowedDomains: domains,
      ssoRoleClaim: input.roleClaim,
      ssoRoleMap: input.roleMap,
      ssoDefaultRole: input.defaultRole,
      updatedAt: now.toISOString(),
    }
    await store.transaction(async (tx) => {
      await tx.authSettings.put(next)
      const detail = {
        issuer: next.ssoIssuer,
        clientId: input.clientId,
        clientSecretChanged: input.clientSecret !== undefined,
        allowedDomains: domains,
        defaultRole: input.defaultRole,
      }
      await appendAudit(tx, ctx, { workspaceId: ws, action: 'settings.sso', detail }, now)
    })
    return view(next, redirectUri)
  }

  async function remove(ctx: RequestContext, redirectUri: string) {
    assertCan(ctx.actor, 'admin')
    const ws = ctx.actor.workspaceId
    const now = clock.now()
    const current = await authSettingsOf(store, ws, now)
    const next: AuthSettingsRow = {
      ...current,
      ...{ ssoIssuer: null, ssoClientId: null, ssoSealedSecret: null, ssoKeyId: null },
      updatedAt: now.toISOString(),
    }
    await store.transaction(async (tx) => {
      await tx.authSettings.put(next)
      await appendAudit(
        tx,
        ctx,
        { workspaceId: ws, action: 'settings.sso', detail: { removed: true } },
        now,
      )
    })
    return view(next, redirectUri)
  }

  return { get, put, remove }
}

export type SsoConfig = ReturnType<typeof createSsoConfig>
