import { assertCan } from '../../core/actor.ts'
import { parseDuration } from '../../core/duration.ts'
import { AppError } from '../../core/errors.ts'
import type { AuthSettingsRow, Store } from '../../storage/store.ts'
import { appendAudit } from '../audit/audit-service.ts'
import type { Clock, RequestContext } from '../context.ts'

/** A session lasts at most 12 hours and ends after 30 minutes without a request, unless set. */
export const DEFAULT_SESSION_LIFETIME_S = 12 * 3600
export const DEFAULT_IDLE_TIMEOUT_S = 30 * 60
const MIN_S = 60
const MAX_LIFETIME_S = 30 * 86_400

/** The workspace's settings row, or the defaults (no SSO) when none was saved yet. */
export async function authSettingsOf(
  store: Pick<Store, 'authSettings'>,
  workspaceId: string,
  now: Date,
): Promise<AuthSettingsRow> {
  return (
    (await store.authSettings.get(workspaceId)) ?? {
      workspaceId,
      sessionLifetimeSeconds: DEFAULT_SESSION_LIFETIME_S,
      idleTimeoutSeconds: DEFAULT_IDLE_TIMEOUT_S,
      ssoIssuer: null,
      ssoClientId: null,
      ssoSealedSecret: null,
      ssoKeyId: null,
      ssoAllowedDomains: [],
      ssoRoleClaim: null,
      ssoRoleMap: {},
      ssoDefaultRole: null,
      updatedAt: now.toISOString(),
    }
  )
}

function seconds(field: string, text: string | undefined, max: number): number | undefined {
  if (text === undefined) return undefined
  const ms = parseDuration(text)
  if (ms === undefined || ms < MIN_S * 1000 || ms > max * 1000)
    throw new AppError('VALIDATION_FAILED', `${field} must be a duration such as 12h or 30m`, [
      { field, message: `between 1m and ${max / 86_400}d, like 12h or 30m` },
    ])
  return Math.floor(ms / 1000)
}

/** Session lifetime and idle timeout: anyone signed in may read them, admins change them. */
export function createSessionSettings(deps: { store: Store; clock: Clock }) {
  const { store, clock } = deps
  const view = (r: AuthSettingsRow) => ({
    sessionLifetimeSeconds: r.sessionLifetimeSeconds,
    idleTimeoutSeconds: r.idleTimeoutSeconds,
  })

  async function get(ctx: RequestContext) {
    assertCan(ctx.actor, 'read')
    return view(await authSettingsOf(store, ctx.actor.workspaceId, clock.now()))
  }

  async function update(
    ctx: RequestContext,
    input: { sessionLifetime?: string | undefined; idleTimeout?: string | undefined },
  ) {
    assertCan(ctx.actor, 'admin')
    const lifetime = seconds('sessionLifetime', input.sessionLifetime, MAX_LIFETIME_S)
    const idle = seconds('idleTimeout', input.idleTimeout, MAX_LIFETIME_S)
    const now = clock.now()
    const ws = ctx.actor.workspaceId
    const current = await authSettingsOf(store, ws, now)
    const next: AuthSettingsRow = {
      ...current,
      sessionLifetimeSeconds: lifetime ?? current.sessionLifetimeSeconds,
      idleTimeoutSeconds: idle ?? current.idleTimeoutSeconds,
      updatedAt: now.toISOString(),
    }
    await store.transaction(async (tx) => {
      await tx.authSettings.put(next)
      await appendAudit(
        tx,
        ctx,
        { workspaceId: ws, action: 'settings.sessions', detail: view(next) },
        now,
      )
    })
    return view(next)
  }

  return { get, update }
}

export type SessionSettings = ReturnType<typeof createSessionSettings>
