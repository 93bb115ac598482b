import { AppError } from '../../core/errors.ts'
import type { AuthSettingsRow, Store } from '../../storage/store.ts'
import { appendAudit } from '../audit/audit-service.ts'
import type { Clock } from '../context.ts'
import { authSettingsOf } from './auth-settings.ts'
import { createDevicePace, decodeDeviceHandle, encodeDeviceHandle } from './device-handle.ts'
import { encodeLoginState, decodeLoginState, LOGIN_STATE_SECONDS } from './login-state.ts'
import { oidc, type OidcClients } from './oidc-client.ts'
import type { IdpRefresh, SessionService } from './session-service.ts'
import { ssoConfigured } from './sso-config.ts'
import { memberForIdentity } from './sso-members.ts'
import { decideSso } from './sso-rules.ts'

const SCOPE = 'openid email profile offline_access'
const DEVICE_GRANT = 'urn:ietf:params:oauth:grant-type:device_code'
const EXPIRED_DEVICE =
  'the device code expired or was already used: start again with tresor login --sso'

/** Where a request came from, for audit rows. */
export interface Origin {
  ip: string
  requestId: string
}

/** How long until the IdP must confirm the member again: its access-token lifetime, 30 s–15 min. */
function refreshAfter(expiresIn: number | undefined): number {
  return Math.max(30, Math.min(900, expiresIn ?? 300))
}

/**
 * Single sign-on with the workspace's OIDC provider: authorization code + PKCE + state + nonce
 * for the dashboard, device authorization (RFC 8628) for the CLI, and the refresh that cuts a
 * member off once the provider stops vouching for them. Every login and failure is audited.
 */
export function createSsoService(deps: {
  store: Store
  clock: Clock
  pepper: Buffer
  oidcClients: OidcClients
  sessions: SessionService
}) {
  const { store, clock, pepper, oidcClients, sessions } = deps
  const pace = createDevicePace()

  async function settingsOf(workspaceId?: string): Promise<AuthSettingsRow> {
    const ws = workspaceId ?? (await store.workspaces.list())[0]?.id
    if (ws === undefined) throw new AppError('NOT_FOUND', 'no workspace')
    const s = await authSettingsOf(store, ws, clock.now())
    if (!ssoConfigured(s))
      throw new AppError('NOT_FOUND', 'single sign-on is not configured for this workspace')
    return s
  }

  /** Public: does the (only) workspace offer SSO? */
  async function status(): Promise<{ enabled: boolean }> {
    const ws = (await store.workspaces.list())[0]
    if (ws === undefined) return { enabled: false }
    return { enabled: ssoConfigured(await authSettingsOf(store, ws.id, clock.now())) }
  }

  async function audit(
    workspaceId: string,
    origin: Origin,
    action: string,
    detail: Record<string, string | boolean>,
  ) {
    const now = clock.now()
    const ctx = {
      actor: { kind: 'member' as const, id: 'sso', workspaceId, scopes: [], tokenId: 'sso' },
      ip: origin.ip,
      requestId: origin.requestId,
    }
    await store.transaction((tx) =>
      appendAudit(tx, ctx, { workspaceId, action, outcome: 'denied', detail }, now),
    )
  }

  /** Step 1 of the dashboard login: the provider URL to send the browser to, and its state cookie. */
  async function beginLogin(redirectUri: string, workspaceId?: string) {
    const settings = await settingsOf(workspaceId)
    const config = await oidcClients.configFor(settings)
    const verifier = oidc.randomPKCECodeVerifier()
    const state = oidc.randomState()
    const nonce = oidc.randomNonce()
    const url = oidc.buildAuthorizationUrl(config, {
      redirect_uri: redirectUri,
      scope: SCOPE,
      code_challenge: await oidc.calculatePKCECodeChallenge(verifier),
      code_challenge_method: 'S256',
      state,
      nonce,
    })
    const exp = clock.now().getTime() + LOGIN_STATE_SECONDS * 1000
    const cookie = encodeLoginState(pepper, {
      workspaceId: settings.workspaceId,
      state,
      nonce,
      verifier,
      exp,
    })
    return { url: url.href, cookie }
  }

  /** Step 2: checks state, nonce, PKCE and the ID token, applies the rules, opens a session. */
  async function finishLogin(callbackUrl: URL, stateCookie: string | undefined, origin: Origin) {
    const saved = decodeLoginState(pepper, stateCookie, clock.now().getTime())
    if (saved === undefined) {
      const ws = (await store.workspaces.list())[0]
      if (ws !== undefined)
        await audit(ws.id, origin, 'auth.sso_failed', { reason: 'missing or expired login state' })
      throw new AppError('UNAUTHENTICATED', 'the sign-in took too long or did not start here')
    }
    const settings = await settingsOf(saved.workspaceId)
    let claims: Record<string, unknown>
    let tokens: oidc.TokenEndpointResponse & oidc.TokenEndpointResponseHelpers
    try {
      const config = await oidcClients.configFor(settings)
      tokens = await oidc.authorizationCodeGrant(config, callbackUrl, {
        pkceCodeVerifier: saved.verifier,
        expectedState: saved.state,
        expectedNonce: saved.nonce,
        idTokenExpected: true,
      })
      claims = await claimsOf(config, tokens)
    } catch (err) {
      await audit(settings.workspaceId, origin, 'auth.sso_failed', { reason: failureReason(err) })
      throw new AppError('UNAUTHENTICATED', 'the identity provider’s answer was refused')
    }
    return admit(settings, claims, tokens, 'browser', origin)
  }

  async function claimsOf(
    config: oidc.Configuration,
    tokens: oidc.TokenEndpointResponse & oidc.TokenEndpointResponseHelpers,
  ): Promise<Record<string, unknown>> {
    const idClaims = tokens.claims()
    if (idClaims === undefined) throw new AppError('UNAUTHENTICATED', 'no ID token')
    // Many providers put email and groups in userinfo only; its subject must match the ID token's.
    const info = await oidc.fetchUserInfo(config, tokens.access_token, idClaims.sub)
    return { ...info, ...idClaims }
  }

  async function admit(
    settings: AuthSettingsRow,
    claims: Record<string, unknown>,
    tokens: oidc.TokenEndpointResponse & oidc.TokenEndpointResponseHelpers,
    client: 'browser' | 'cli',
    origin: Origin,
  ) {
    const decision = decideSso(settings, claims)
    const sub = typeof claims.sub === 'string' ? claims.sub : ''
    if (!decision.ok) {
      await audit(settings.workspaceId, origin, 'auth.sso_failed', { reason: decision.reason, sub })
      throw new AppError('FORBIDDEN', `single sign-on refused: ${decision.reason}`)
    }
    const found = await memberForIdentity(
      { store, clock },
      {
        ...{ workspaceId: settings.workspaceId, issuer: settings.ssoIssuer ?? '', subject: sub },
        ...{ emailVerified: claims.email_verified === true, decision },
      },
      origin,
    )
    if (!found.ok) {
      await audit(settings.workspaceId, origin, 'auth.sso_failed', { reason: found.reason, sub })
      throw new AppError('FORBIDDEN', `single sign-on refused: ${found.reason}`)
    }
    const { member, created } = found
    if (member.disabled) {
      await audit(settings.workspaceId, origin, 'auth.sso_failed', {
        reason: 'member disabled',
        sub,
      })
      throw new AppError('FORBIDDEN', 'single sign-on refused: member disabled')
    }
    return sessions.open({
      member,
      kind: 'sso',
      client,
      idp: {
        refreshToken: tokens.refresh_token,
        refreshAfterSeconds: refreshAfter(tokens.expiresIn()),
      },
      ip: origin.ip,
      requestId: origin.requestId,
      audit: { action: 'auth.sso_login', detail: { sub, role: member.role, created } },
    })
  }

  /** CLI step 1: starts a device authorization at the provider, for the user to approve. */
  async function startDevice(workspaceId?: string) {
    const settings = await settingsOf(workspaceId)
    const config = await oidcClients.configFor(settings)
    const r = await oidc.initiateDeviceAuthorization(config, { scope: SCOPE })
    const interval = Math.max(1, Math.min(60, r.interval ?? 5))
    const exp = clock.now().getTime() + r.expires_in * 1000
    const handle = encodeDeviceHandle(pepper, {
      ...{ workspaceId: settings.workspaceId, deviceCode: r.device_code },
      ...{ exp, interval },
    })
    return {
      deviceCode: handle,
      userCode: r.user_code,
      verificationUri: r.verification_uri,
      verificationUriComplete: r.verification_uri_complete ?? null,
      expiresIn: r.expires_in,
      interval,
    }
  }

  /**
   * CLI step 2, polled (RFC 8628 §3.4–3.5): `pending` until approved, `slow_down` (with the
   * larger interval) when polled sooner than the interval, then a CLI session. An expired or
   * used device code is GONE, a declined one FORBIDDEN.
   */
  async function pollDevice(text: string, origin: Origin) {
    const handle = decodeDeviceHandle(pepper, text)
    const now = clock.now().getTime()
    const settings = await settingsOf(handle.workspaceId)
    const failed = async (reason: string) =>
      audit(settings.workspaceId, origin, 'auth.sso_failed', { reason, client: 'cli' })
    if (handle.exp <= now) {
      pace.forget(handle.deviceCode)
      await failed('device code expired')
      throw new AppError('GONE', EXPIRED_DEVICE)
    }
    const paced = pace.check(handle.deviceCode, handle, now)
    if (!paced.ok) return { status: 'slow_down' as const, interval: paced.interval }
    const config = await oidcClients.configFor(settings)
    let tokens: oidc.TokenEndpointResponse & oidc.TokenEndpointResponseHelpers
    let claims: Record<string, unknown>
    try {
      tokens = await oidc.genericGrantRequest(config, DEVICE_GRANT, {
        device_code: handle.deviceCode,
      })
      claims = await claimsOf(config, tokens)
    } catch (err) {
      const error = err instanceof oidc.ResponseBodyError ? err.error : undefined
      if (error === 'authorization_pending')
        return { status: 'pending' as const, interval: paced.interval }
      if (error === 'slow_down')
        return { status: 'slow_down' as const, interval: pace.slowDown(handle.deviceCode, now) }
      pace.forget(handle.deviceCode)
      await failed(failureReason(err))
      if (error === 'expired_token' || error === 'invalid_grant')
        throw new AppError('GONE', EXPIRED_DEVICE)
      if (error === 'access_denied')
        throw new AppError('FORBIDDEN', 'the sign-in was declined at the identity provider')
      throw new AppError('UNAUTHENTICATED', `the device sign-in ended: ${failureReason(err)}`)
    }
    pace.forget(handle.deviceCode)
    const opened = await admit(settings, claims, tokens, 'cli', origin)
    return {
      status: 'complete' as const,
      session: opened.secret,
      refresh: opened.refresh ?? '',
      accessExpiresAt: opened.session.accessExpiresAt,
      expiresAt: opened.session.expiresAt,
    }
  }

  /** The session service's IdP check: refresh grant, then the same rules as at login. */
  const idpRefresh: IdpRefresh = async (row, refreshToken) => {
    const settings = await authSettingsOf(store, row.workspaceId, clock.now())
    if (!ssoConfigured(settings)) return { ok: false, reason: 'sso no longer configured' }
    try {
      const config = await oidcClients.configFor(settings)
      const tokens = await oidc.refreshTokenGrant(config, refreshToken)
      const info = await oidc.fetchUserInfo(config, tokens.access_token, oidc.skipSubjectCheck)
      const decision = decideSso(settings, { ...info, ...(tokens.claims() ?? {}) })
      if (!decision.ok) return { ok: false, reason: decision.reason }
      return {
        ok: true,
        refreshToken: tokens.refresh_token,
        refreshAfterSeconds: refreshAfter(tokens.expiresIn()),
      }
    } catch (err) {
      return { ok: false, reason: failureReason(err) }
    }
  }

  return { status, beginLogin, finishLogin, startDevice, pollDevice, idpRefresh }
}

// Words for the audit log; never the provider's response body (it may echo a code or token).
function failureReason(err: unknown): string {
  if (err instanceof oidc.ResponseBodyError) return `provider said ${err.error}`
  if (err instanceof oidc.AuthorizationResponseError) return `provider said ${err.error}`
  const code = (err as { code?: unknown }).code
  return typeof code === 'string' ? `rejected (${code})` : 'rejected'
}

export type SsoService = ReturnType<typeof createSsoService>
