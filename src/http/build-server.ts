import Fastify, {
  LogController,
  type FastifyBaseLogger,
  type FastifyInstance,
  type RawReplyDefaultExpression,
  type RawRequestDefaultExpression,
  type RawServerDefault,
} from 'fastify'
import { serializerCompiler, type ZodTypeProvider } from 'fastify-type-provider-zod'
import { z } from 'zod'
import { AppError } from '../core/errors.ts'
import { registerAuth, type AuthDeps } from './auth.ts'
import { registerErrorHandling } from './error-handler.ts'
import { buildLoggerOptions, type LogOptions } from './logger.ts'
import { registerOpenApi } from './openapi.ts'
import { generateRequestId, registerRequestId } from './request-id.ts'
import { registerSse } from './sse.ts'
import { validatorCompiler } from './validation.ts'

/** The Fastify instance routes are registered on, typed by the zod schemas they declare. */
export type TresorApp = FastifyInstance<
  RawServerDefault,
  RawRequestDefaultExpression,
  RawReplyDefaultExpression,
  FastifyBaseLogger,
  ZodTypeProvider
>

/** Registers some routes (one file of `http/routes/` each), inside its own plugin scope. */
export type RouteRegistrar = (app: TresorApp) => void | Promise<void>

export interface ServerDeps {
  /** Reported in the OpenAPI document. */
  version: string
  log: LogOptions
  auth: AuthDeps
  /** Largest request body in bytes (JSON and text alike). */
  bodyLimit: number
  /** Which proxies' `X-Forwarded-For` to believe for the client IP (rate limits use it). */
  trustProxy?: boolean | number | readonly string[]
  /** How long in-flight requests may take to finish once `close` begins (default 10 s). */
  drainTimeoutMs?: number
  routes: readonly RouteRegistrar[]
}

const DRAIN_TIMEOUT_MS = 10_000

const utf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true })

// Dotenv documents arrive as text/plain. Decoding is strict: silently replacing a broken byte
// with U+FFFD would store a different secret than the one sent.
function addTextParser(app: FastifyInstance): void {
  app.addContentTypeParser('text/plain', { parseAs: 'buffer' }, (request, body, done) => {
    const charset = /charset=([^;]+)/i.exec(request.headers['content-type'] ?? '')?.[1]
    if (charset !== undefined && !/^"?(utf-8|us-ascii)"?$/i.test(charset.trim())) {
      done(new AppError('UNSUPPORTED_MEDIA_TYPE', 'Text bodies must be UTF-8'), undefined)
      return
    }
    try {
      done(null, utf8.decode(body as Buffer))
    } catch {
      done(new AppError('BAD_REQUEST', 'The request body is not valid UTF-8'), undefined)
    }
  })
}

// Fastify accepts a hop count at run time but not in its types; a function says the same thing.
function trustProxyOption(
  trust: ServerDeps['trustProxy'],
): boolean | string[] | ((address: string, hop: number) => boolean) {
  if (typeof trust === 'number') return (_address, hop) => hop < trust
  if (typeof trust === 'boolean' || trust === undefined) return trust ?? false
  return [...trust]
}

// Baseline headers of every response: API bodies may carry a revealed secret, so nothing under
// /v1 is cached, sniffed as another type, or leaks its URL through a Referer.
function addBaselineHeaders(app: FastifyInstance): void {
  app.addHook('onRequest', (request, reply, done) => {
    reply.header('x-content-type-options', 'nosniff').header('referrer-policy', 'no-referrer')
    if (request.url.startsWith('/v1/')) reply.header('cache-control', 'no-store')
    done()
  })
}

// Node closes idle keep-alive connections when the server closes, but a connection busy with an
// in-flight request would stay open after it (until its keep-alive timeout): tell its client.
// And Node's close waits for every connection that is not idle, and stops timing out requests
// whose headers never finish: past the drain deadline, whatever is still open is cut off, so a
// slow or stuck client cannot hold shutdown forever.
function closeConnectionsWhenDraining(app: FastifyInstance, drainTimeoutMs: number): void {
  let draining = false
  let deadline: NodeJS.Timeout | undefined
  app.addHook('preClose', (done) => {
    draining = true
    deadline = setTimeout(() => {
      app.log.warn('drain deadline reached: closing the connections still open')
      app.server.closeAllConnections()
    }, drainTimeoutMs).unref()
    done()
  })
  app.addHook('onClose', (_instance, done) => {
    clearTimeout(deadline)
    done()
  })
  app.addHook('onSend', (_request, reply, payload, done) => {
    if (draining) reply.header('connection', 'close')
    done(null, payload)
  })
}

function addFrameworkRoutes(app: TresorApp): void {
  app.get(
    '/healthz',
    {
      config: { public: true },
      schema: { summary: 'Liveness probe', response: { 200: z.object({ ok: z.literal(true) }) } },
    },
    () => ({ ok: true as const }),
  )
}

/**
 * Builds the HTTP server (not listening): zod validation and serialization, request ids,
 * problem+json errors, bearer auth, OpenAPI at `/v1/openapi.json`, `/healthz`, then `routes`.
 * @example const app = buildServer({ version, log: { level: 'info' }, auth, bodyLimit, routes: [registerProjectRoutes] })
 */
export function buildServer(deps: ServerDeps): TresorApp {
  const app = Fastify({
    logger: buildLoggerOptions(deps.log),
    logController: new LogController({
      disableRequestLogging: true,
      requestIdLogLabel: 'requestId',
    }),
    genReqId: generateRequestId,
    requestIdHeader: false,
    bodyLimit: deps.bodyLimit,
    trustProxy: trustProxyOption(deps.trustProxy),
    return503OnClosing: true,
  }).withTypeProvider<ZodTypeProvider>()
  app.setValidatorCompiler(validatorCompiler)
  app.setSerializerCompiler(serializerCompiler)
  registerRequestId(app)
  addBaselineHeaders(app)
  registerErrorHandling(app)
  registerAuth(app, deps.auth)
  registerSse(app)
  closeConnectionsWhenDraining(app, deps.drainTimeoutMs ?? DRAIN_TIMEOUT_MS)
  addTextParser(app)
  // One line per request at info: method, path (never the query), status, duration.
  app.addHook('onResponse', (request, reply, done) => {
    request.log.info({ req: request, res: reply, ms: Math.round(reply.elapsedTime) }, 'request')
    done()
  })
  registerOpenApi(app, deps.version)
  // Routes go in plugins, which load after the OpenAPI plugin and so reach its route collector.
  for (const registrar of [addFrameworkRoutes, ...deps.routes]) {
    void app.register(async (scope) => {
      await registrar(scope.withTypeProvider<ZodTypeProvider>())
    })
  }
  return app
}
