import type { Actor } from '../../core/actor.ts'
import { AppError } from '../../core/errors.ts'
import type { Store } from '../../storage/store.ts'
import type { SessionService } from './session-service.ts'

/**
 * Break-glass sign-in: a personal token (the owner's first one included) opens a browser
 * session, audited as `auth.token_sign_in`. The session keeps the token's scopes and ends when
 * the token is revoked or expires. Service and agent tokens name no person and are refused.
 */
export function createTokenSignIn(deps: {
  store: Store
  authenticate: (token: string, ip: string) => Promise<Actor | undefined>
  sessions: SessionService
}) {
  return async (token: string, ctx: { ip: string; requestId: string }) => {
    const actor = await deps.authenticate(token, ctx.ip)
    if (actor === undefined)
      throw new AppError(
        'UNAUTHENTICATED',
        'That token was not accepted: unknown, expired or revoked',
      )
    if (actor.memberId === undefined || actor.agent === true)
      throw new AppError('FORBIDDEN', 'only a personal token can sign in to the dashboard', [
        { field: 'token', message: 'service and agent tokens cannot open a session' },
      ])
    const member = await deps.store.members.get(actor.workspaceId, actor.memberId)
    if (member === undefined || member.disabled)
      throw new AppError(
        'UNAUTHENTICATED',
        'That token was not accepted: unknown, expired or revoked',
      )
    return deps.sessions.open({
      member,
      kind: 'token',
      client: 'browser',
      tokenId: actor.tokenId,
      ip: ctx.ip,
      requestId: ctx.requestId,
      audit: {
        action: 'auth.token_sign_in',
        detail: { tokenId: actor.tokenId, breakGlass: true, role: member.role },
      },
    })
  }
}

export type TokenSignIn = ReturnType<typeof createTokenSignIn>
