import type { FastifyInstance, FastifyRequest } from 'fastify'
import type { Actor } from '../core/actor.ts'
import { AppError } from '../core/errors.ts'
import type { SessionAuth } from '../services/sessions/session-service.ts'
import {
  CSRF_HEADER,
  csrfMatches,
  isSessionSecret,
  SESSION_COOKIE,
} from '../services/sessions/secrets.ts'
import { createFailureLimiter, type FailureLimiter } from './rate-limit.ts'

declare module 'fastify' {
  interface FastifyRequest {
    /** The authenticated caller; `null` only on public routes. */
    actor: Actor | null
    /** The session the request came with (cookie or `tresor_ses_` bearer), else null. */
    tresorSession: (SessionAuth & { via: 'cookie' | 'bearer' }) | null
    /**
     * Looks the request's credentials up again (for a long-lived response such as the event
     * stream): the caller as it is now, `undefined` once revoked, expired or disabled.
     */
    recheckCaller: (() => Promise<Actor | undefined>) | null
  }
  interface FastifyInstance {
    /** The auth hook's failure limiter, for routes that check credentials themselves. */
    authFailures: FailureLimiter
  }
  interface FastifyContextConfig {
    /** `true` for routes that need no token (health, OpenAPI, secret-request pages). */
    public?: boolean
  }
}

/** Looks a presented bearer token up; `undefined` when unknown, expired or revoked. */
export type Authenticate = (token: string, ip: string) => Promise<Actor | undefined>

/** Looks a session secret up (cookie or bearer); `undefined` when it no longer works. */
export type AuthenticateSession = (
  secret: string,
  options?: { touch?: boolean },
) => Promise<SessionAuth | undefined>

export interface AuthDeps {
  authenticate: Authenticate
  /** Without it, session cookies and `tresor_ses_` bearers are refused like unknown tokens. */
  authenticateSession?: AuthenticateSession
  /** Defaults to a limiter of 20 failures per IP per minute. */
  limiter?: FailureLimiter
}

// RFC 6750 allows a wider token68 alphabet; any visible ASCII is accepted here and the token
// service decides. Long headers are refused before anything hashes them.
const BEARER = /^Bearer +([\x21-\x7e]{1,1024}) *$/i

// One message for a missing, malformed, unknown, expired or revoked token: no oracle.
const UNAUTHENTICATED = 'A valid bearer token is required (Authorization: Bearer <token>)'
const CSRF_REFUSED = `A write signed in by cookie needs the session's CSRF token in ${CSRF_HEADER} (GET /v1/session)`
const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS'])

/** The value of cookie `name` in a Cookie header, if present. */
export function readCookie(header: string | undefined, name: string): string | undefined {
  if (header === undefined) return undefined
  for (const part of header.split(';')) {
    const eq = part.indexOf('=')
    if (eq !== -1 && part.slice(0, eq).trim() === name) return part.slice(eq + 1).trim()
  }
  return undefined
}

/**
 * Installs the auth hook: every route not marked `config: { public: true }` needs
 * `Authorization: Bearer <token>`; failures from one IP beyond the limit get 429 before any
 * token is looked at.
 */
export function registerAuth(app: FastifyInstance, deps: AuthDeps): void {
  const limiter = deps.limiter ?? createFailureLimiter()
  app.decorateRequest('actor', null)
  app.decorateRequest('tresorSession', null)
  app.decorateRequest('recheckCaller', null)
  app.decorate('authFailures', limiter)
  app.addHook('onRequest', async (request) => {
    if (request.is404 || request.routeOptions.config.public === true) return
    const check = limiter.check(request.ip)
    if (check.limited) {
      throw new AppError(
        'RATE_LIMITED',
        'Too many failed authentications from this address; retry later',
        [],
        {
          retryAfter: check.retryAfterSeconds,
        },
      )
    }
    const header = request.headers.authorization
    if (header === undefined || header === '') {
      await authenticateByCookie(request, deps)
      return
    }
    const token = BEARER.exec(header)?.[1]
    if (token !== undefined && isSessionSecret(token)) {
      const auth = await deps.authenticateSession?.(token)
      if (auth === undefined) {
        // A presented bearer is counted like a bad token: the prefix must not open a path of
        // unlimited lookups. (A stale browser cookie is not: see authenticateByCookie.)
        limiter.recordFailure(request.ip)
        throw new AppError('UNAUTHENTICATED', UNAUTHENTICATED)
      }
      request.actor = auth.actor
      request.tresorSession = { ...auth, via: 'bearer' }
      request.recheckCaller = sessionRecheck(deps, token)
      return
    }
    const actor = token === undefined ? undefined : await deps.authenticate(token, request.ip)
    if (actor === undefined) {
      limiter.recordFailure(request.ip)
      throw new AppError('UNAUTHENTICATED', UNAUTHENTICATED)
    }
    request.actor = actor
    const ip = request.ip
    request.recheckCaller = () => deps.authenticate(token ?? '', ip)
  })
}

// A browser session: the cookie names it; a write must also prove it comes from the dashboard
// (synchronizer token in a header no other site can set). Session secrets carry 256 random bits,
// so a stale cookie is not counted as a guessing attempt.
async function authenticateByCookie(request: FastifyRequest, deps: AuthDeps): Promise<void> {
  const secret = readCookie(request.headers.cookie, SESSION_COOKIE)
  const auth =
    secret === undefined || secret === '' ? undefined : await deps.authenticateSession?.(secret)
  if (auth === undefined) throw new AppError('UNAUTHENTICATED', UNAUTHENTICATED)
  if (!SAFE_METHODS.has(request.method)) {
    const presented = request.headers[CSRF_HEADER]
    if (!csrfMatches(auth.csrf, typeof presented === 'string' ? presented : undefined))
      throw new AppError('FORBIDDEN', CSRF_REFUSED)
  }
  request.actor = auth.actor
  request.tresorSession = { ...auth, via: 'cookie' }
  request.recheckCaller = sessionRecheck(deps, secret ?? '')
}

// A recheck is not activity: it must not keep an unattended session from its idle timeout.
const sessionRecheck = (deps: AuthDeps, secret: string) => async () =>
  (await deps.authenticateSession?.(secret, { touch: false }))?.actor

/** The actor of an authenticated route's request (throws on a public route, by design). */
export function actorOf(request: FastifyRequest): Actor {
  if (request.actor === null) throw new AppError('UNAUTHENTICATED', UNAUTHENTICATED)
  return request.actor
}
