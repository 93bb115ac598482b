import type { FastifyReply, FastifyRequest } from 'fastify'
import { EnvironmentParamsSchema } from '../../api/common.ts'
import {
  CreatedSecretRequestSchema,
  CreateSecretRequestBodySchema,
  FulfilledLinkSchema,
  FulfillLinkBodySchema,
  InspectLinkBodySchema,
  LinkInfoSchema,
  SecretRequestListSchema,
  SecretRequestParamsSchema,
  SecretRequestSchema,
} from '../../api/secret-requests.ts'
import { AppError, isAppError } from '../../core/errors.ts'
import type { SecretRequestService } from '../../services/secret-requests/secret-request-service.ts'
import type { TresorApp } from '../build-server.ts'
import { createFailureLimiter, type FailureLimiter } from '../rate-limit.ts'
import { ctxOf, PROJECT_PREFIXES, type RouteDeps } from './route-deps.ts'
import { PAGE_CSP, PAGE_CSS, PAGE_HTML, PAGE_JS } from './secret-request-page.ts'
import { envTarget } from './vars.ts'

export interface SecretRequestRouteDeps extends RouteDeps {
  secretRequests: SecretRequestService
  /** Wrong link tokens per client IP; default 10 a minute. */
  linkLimiter?: FailureLimiter
}

const tags = ['secret requests']

/** The base URL links are built on: the one the creator reached (proxies: set trustProxy). */
function baseUrlOf(req: FastifyRequest): string {
  return `${req.protocol}://${req.host}`
}

function sendAsset(reply: FastifyReply, type: string, body: string): FastifyReply {
  return reply
    .type(type)
    .header('content-security-policy', PAGE_CSP)
    .header('cache-control', 'no-store')
    .header('x-frame-options', 'DENY')
    .header('cross-origin-opener-policy', 'same-origin')
    .send(body)
}

// A wrong token counts against the caller's address; past the limit, tokens are not even
// hashed. Used or expired links are not "wrong": whoever holds one already had the capability.
async function limited<T>(limiter: FailureLimiter, req: FastifyRequest, fn: () => Promise<T>) {
  const check = limiter.check(req.ip)
  if (check.limited)
    throw new AppError('RATE_LIMITED', 'Too many wrong links from this address; retry later', [], {
      retryAfter: check.retryAfterSeconds,
    })
  try {
    return await fn()
  } catch (err) {
    if (isAppError(err, 'NOT_FOUND')) limiter.recordFailure(req.ip)
    throw err
  }
}

function registerEnvironmentRoutes(app: TresorApp, deps: SecretRequestRouteDeps) {
  const target = envTarget(deps)
  for (const prefix of PROJECT_PREFIXES) {
    const hide = prefix.startsWith('/v1/repos')
    const base = `${prefix}/environments/:env/secret-requests`
    app.post(
      base,
      {
        schema: {
          tags,
          hide,
          summary: 'Create a one-time link through which a person types a secret',
          params: EnvironmentParamsSchema,
          body: CreateSecretRequestBodySchema,
          response: { 201: CreatedSecretRequestSchema },
        },
      },
      async (req, reply) => {
        const t = await target(req, 'write')
        const out = await deps.secretRequests.create(t, ctxOf(req), req.body)
        const url = `${baseUrlOf(req)}/s#${out.token}`
        return reply.code(201).send({ ...out.request, url })
      },
    )
    app.get(
      base,
      {
        schema: {
          tags,
          hide,
          params: EnvironmentParamsSchema,
          response: { 200: SecretRequestListSchema },
        },
      },
      async (req) => ({
        secretRequests: await deps.secretRequests.list(await target(req, 'read')),
      }),
    )
    app.get(
      `${base}/:id`,
      {
        schema: {
          tags,
          hide,
          params: SecretRequestParamsSchema,
          response: { 200: SecretRequestSchema },
        },
      },
      async (req) => deps.secretRequests.get(await target(req, 'read'), req.params.id),
    )
  }
}

function registerLinkRoutes(app: TresorApp, deps: SecretRequestRouteDeps) {
  const limiter = deps.linkLimiter ?? createFailureLimiter({ maxFailures: 10, windowMs: 60_000 })
  const caller = (req: FastifyRequest) => ({ ip: req.ip, requestId: req.id })
  app.post(
    '/v1/secret-requests/inspect',
    {
      config: { public: true },
      schema: {
        tags,
        summary: 'What a link asks for (public: the token is the credential)',
        body: InspectLinkBodySchema,
        response: { 200: LinkInfoSchema },
      },
    },
    async (req) =>
      limited(limiter, req, () => deps.secretRequests.inspect(req.body.token, caller(req))),
  )
  app.post(
    '/v1/secret-requests/fulfill',
    {
      config: { public: true },
      schema: {
        tags,
        summary: "Store the person's value as the secret; works once",
        body: FulfillLinkBodySchema,
        response: { 200: FulfilledLinkSchema },
      },
    },
    async (req) =>
      limited(limiter, req, () =>
        deps.secretRequests.fulfill(req.body.token, req.body.value, caller(req)),
      ),
  )
}

// The page and its two assets: public, hidden from the OpenAPI document.
function registerPageRoutes(app: TresorApp) {
  const page = { config: { public: true }, schema: { hide: true } }
  app.get('/s', page, (_req, reply) => sendAsset(reply, 'text/html; charset=utf-8', PAGE_HTML))
  app.get('/s/page.js', page, (_req, reply) =>
    sendAsset(reply, 'text/javascript; charset=utf-8', PAGE_JS),
  )
  app.get('/s/page.css', page, (_req, reply) =>
    sendAsset(reply, 'text/css; charset=utf-8', PAGE_CSS),
  )
}

/**
 * Secret requests: create, list and read them per environment (authenticated); the public page
 * at `/s#<token>` with its script and style; and the two public calls the page makes.
 */
export function secretRequestRoutes(deps: SecretRequestRouteDeps) {
  return (app: TresorApp) => {
    registerEnvironmentRoutes(app, deps)
    registerLinkRoutes(app, deps)
    registerPageRoutes(app)
  }
}
