import type { FastifyInstance, FastifyRequest } from 'fastify'
import type { Actor } from '../core/actor.ts'
import { AppError } from '../core/errors.ts'
import { createFailureLimiter, type FailureLimiter } from './rate-limit.ts'

declare module 'fastify' {
  interface FastifyRequest {
    /** The authenticated caller; `null` only on public routes. */
    actor: Actor | null
  }
  interface FastifyContextConfig {
    /** `true` for routes that need no token (health, OpenAPI, secret-request pages). */
    public?: boolean
  }
}

/** Looks a presented bearer token up; `undefined` when unknown, expired or revoked. */
export type Authenticate = (token: string, ip: string) => Promise<Actor | undefined>

export interface AuthDeps {
  authenticate: Authenticate
  /** Defaults to a limiter of 20 failures per IP per minute. */
  limiter?: FailureLimiter
}

// RFC 6750 allows a wider token68 alphabet; any visible ASCII is accepted here and the token
// service decides. Long headers are refused before anything hashes them.
const BEARER = /^Bearer +([\x21-\x7e]{1,1024}) *$/i

// One message for a missing, malformed, unknown, expired or revoked token: no oracle.
const UNAUTHENTICATED = 'A valid bearer token is required (Authorization: Bearer <token>)'

/**
 * Installs the auth hook: every route not marked `config: { public: true }` needs
 * `Authorization: Bearer <token>`; failures from one IP beyond the limit get 429 before any
 * token is looked at.
 */
export function registerAuth(app: FastifyInstance, deps: AuthDeps): void {
  const limiter = deps.limiter ?? createFailureLimiter()
  app.decorateRequest('actor', null)
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
    if (header === undefined || header === '')
      throw new AppError('UNAUTHENTICATED', UNAUTHENTICATED)
    const token = BEARER.exec(header)?.[1]
    const actor = token === undefined ? undefined : await deps.authenticate(token, request.ip)
    if (actor === undefined) {
      limiter.recordFailure(request.ip)
      throw new AppError('UNAUTHENTICATED', UNAUTHENTICATED)
    }
    request.actor = actor
  })
}

/** The actor of an authenticated route's request (throws on a public route, by design). */
export function actorOf(request: FastifyRequest): Actor {
  if (request.actor === null) throw new AppError('UNAUTHENTICATED', UNAUTHENTICATED)
  return request.actor
}
