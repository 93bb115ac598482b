import { z } from 'zod'
import {
  CliSessionSchema,
  CreateSessionBodySchema,
  RefreshSessionBodySchema,
  SessionSchema,
  SessionSettingsSchema,
  UpdateSessionSettingsBodySchema,
} from '../../api/sessions.ts'
import { AppError } from '../../core/errors.ts'
import type { SessionSettings } from '../../services/sessions/auth-settings.ts'
import type { SessionService } from '../../services/sessions/session-service.ts'
import type { TokenSignIn } from '../../services/sessions/token-sign-in.ts'
import type { SessionRow } from '../../storage/store.ts'
import type { TresorApp } from '../build-server.ts'
import { clearedSessionCookie, isSecureRequest, sessionCookie } from '../session-cookie.ts'
import { ctxOf } from './route-deps.ts'

export interface SessionRouteDeps {
  sessions: SessionService
  tokenSignIn: TokenSignIn
  sessionSettings: SessionSettings
  /** `TRESOR_PUBLIC_URL`: when https, cookies are always `Secure`. */
  publicUrl: string | undefined
}

function info(s: SessionRow) {
  return {
    id: s.id,
    kind: s.kind,
    client: s.client,
    memberId: s.memberId,
    createdAt: s.createdAt,
    expiresAt: s.expiresAt,
    idleTimeoutSeconds: s.idleTimeoutSeconds,
  }
}

/** Browser sessions: token sign-in (break-glass), who am I + CSRF token, sign-out; settings. */
export function sessionRoutes(deps: SessionRouteDeps) {
  return (app: TresorApp) => {
    app.post(
      '/v1/session',
      {
        config: { public: true },
        schema: {
          tags: ['sessions'],
          summary: 'Sign in with a personal token: sets the HttpOnly session cookie',
          body: CreateSessionBodySchema,
          response: { 201: SessionSchema },
        },
      },
      async (req, reply) => {
        // Public route, so the auth hook's brute-force limit is applied here by hand.
        const check = app.authFailures.check(req.ip)
        if (check.limited)
          throw new AppError(
            'RATE_LIMITED',
            'Too many failed authentications from this address; retry later',
            [],
            {
              retryAfter: check.retryAfterSeconds,
            },
          )
        let opened
        try {
          opened = await deps.tokenSignIn(req.body.token, { ip: req.ip, requestId: req.id })
        } catch (err) {
          app.authFailures.recordFailure(req.ip)
          throw err
        }
        const secure = isSecureRequest(req, deps.publicUrl)
        void reply.header('set-cookie', sessionCookie(opened.secret, secure))
        return reply.code(201).send({ session: info(opened.session), csrfToken: opened.csrf })
      },
    )
    app.get(
      '/v1/session',
      { schema: { tags: ['sessions'], response: { 200: SessionSchema } } },
      (req) => {
        const s = req.tresorSession
        if (s === null)
          throw new AppError('NOT_FOUND', 'this request has no session (it used a token)')
        return { session: info(s.session), csrfToken: s.via === 'cookie' ? s.csrf : null }
      },
    )
    app.delete(
      '/v1/session',
      {
        schema: {
          tags: ['sessions'],
          summary: 'Sign out: ends the session, clears the cookie',
          response: { 204: z.null().describe('Signed out') },
        },
      },
      async (req, reply) => {
        const s = req.tresorSession
        if (s === null)
          throw new AppError('NOT_FOUND', 'this request has no session (it used a token)')
        await deps.sessions.signOut(ctxOf(req), s.session)
        void reply.header('set-cookie', clearedSessionCookie(isSecureRequest(req, deps.publicUrl)))
        return reply.code(204).send(null)
      },
    )
    app.post(
      '/v1/session/refresh',
      {
        config: { public: true },
        schema: {
          tags: ['sessions'],
          summary: 'CLI: trade the refresh secret for new session and refresh secrets',
          body: RefreshSessionBodySchema,
          response: { 200: CliSessionSchema },
        },
      },
      async (req) => deps.sessions.refreshCli(req.body.refresh),
    )
    app.get(
      '/v1/settings/sessions',
      { schema: { tags: ['sessions'], response: { 200: SessionSettingsSchema } } },
      async (req) => deps.sessionSettings.get(ctxOf(req)),
    )
    app.patch(
      '/v1/settings/sessions',
      {
        schema: {
          tags: ['sessions'],
          body: UpdateSessionSettingsBodySchema,
          response: { 200: SessionSettingsSchema },
        },
      },
      async (req) => deps.sessionSettings.update(ctxOf(req), req.body),
    )
  }
}
