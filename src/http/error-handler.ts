import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import { problemType, type Problem } from '../api/errors.ts'
import { AppError, ERROR_STATUS, isAppError, type ErrorCode } from '../core/errors.ts'

const TITLES: Partial<Record<ErrorCode, string>> = {
  BAD_REQUEST: 'Bad request',
  VALIDATION_FAILED: 'Validation failed',
  UNAUTHENTICATED: 'Authentication required',
  FORBIDDEN: 'Forbidden',
  NOT_FOUND: 'Not found',
  PAYLOAD_TOO_LARGE: 'Payload too large',
  UNSUPPORTED_MEDIA_TYPE: 'Unsupported media type',
  RATE_LIMITED: 'Too many requests',
  INTERNAL: 'Internal error',
}

const INTERNAL_DETAIL =
  'An unexpected error occurred; the server log has the details under this request id'

const CONTEXT_NAMES: Record<string, string> = {
  body: 'request body',
  querystring: 'query string',
  params: 'path parameters',
  headers: 'request headers',
}

// Problem members a code's `meta` may not overwrite.
const RESERVED = new Set(['type', 'title', 'status', 'detail', 'code', 'requestId', 'errors'])

/** The problem title of a code: a short fixed phrase, never request-specific. */
export function problemTitle(code: ErrorCode): string {
  return (
    TITLES[code] ??
    code
      .toLowerCase()
      .replaceAll('_', ' ')
      .replace(/^./, (c) => c.toUpperCase())
  )
}

interface ValidationEntry {
  instancePath: string
  message?: string | undefined
}

// Zod issue messages name the expectation, not the input, so they are safe to return; the field
// is the path (a body field has no prefix; a query or path parameter is prefixed).
function validationError(err: FastifyError & { validation: ValidationEntry[] }): AppError {
  const context = err.validationContext ?? 'body'
  const errors = err.validation.map((v) => {
    const path = v.instancePath
      .split('/')
      .filter((p) => p !== '')
      .join('.')
    const field =
      context === 'body'
        ? path
        : [context === 'querystring' ? 'query' : context, path].filter(Boolean).join('.')
    return { ...(field !== '' && { field }), message: v.message ?? 'is invalid' }
  })
  const what = CONTEXT_NAMES[context] ?? context
  return new AppError(
    'VALIDATION_FAILED',
    `The ${what} ${what.endsWith('s') ? 'are' : 'is'} invalid`,
    errors,
  )
}

// Fastify's own request errors. Their messages are replaced with fixed ones: a JSON parse error
// message can quote the body it failed on.
const FASTIFY_ERRORS: Record<string, [ErrorCode, string]> = {
  FST_ERR_CTP_BODY_TOO_LARGE: [
    'PAYLOAD_TOO_LARGE',
    'The request body is larger than the server accepts',
  ],
  FST_ERR_CTP_INVALID_MEDIA_TYPE: [
    'UNSUPPORTED_MEDIA_TYPE',
    'This route does not accept that content type',
  ],
  FST_ERR_CTP_INVALID_JSON_BODY: ['BAD_REQUEST', 'The request body is not valid JSON'],
  FST_ERR_CTP_EMPTY_JSON_BODY: [
    'BAD_REQUEST',
    'The request body is empty but its content type is JSON',
  ],
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: [
    'BAD_REQUEST',
    'The request body does not match its Content-Length',
  ],
}

/** Turns anything thrown into an AppError whose message is safe to send; `undefined` = a 500. */
export function toAppError(err: unknown): AppError | undefined {
  if (isAppError(err)) return err
  const fe = err as Partial<FastifyError> & { validation?: ValidationEntry[] }
  if (Array.isArray(fe.validation))
    return validationError(fe as FastifyError & { validation: ValidationEntry[] })
  const known = fe.code === undefined ? undefined : FASTIFY_ERRORS[fe.code]
  if (known !== undefined) return new AppError(known[0], known[1])
  const status = fe.statusCode ?? 500
  if (status === 404) return new AppError('NOT_FOUND', 'Not found')
  if (status >= 400 && status < 500) return new AppError('BAD_REQUEST', 'The request is malformed')
  return undefined
}

/** The problem document of an error (an unknown error becomes a fixed INTERNAL problem). */
export function buildProblem(err: AppError | undefined, requestId: string): Problem {
  const code = err?.code ?? 'INTERNAL'
  const extensions = Object.fromEntries(
    Object.entries(err?.meta ?? {}).filter(([k]) => !RESERVED.has(k)),
  )
  return {
    ...extensions,
    type: problemType(code),
    title: problemTitle(code),
    status: ERROR_STATUS[code],
    detail: err?.message ?? INTERNAL_DETAIL,
    code,
    requestId,
    ...(err !== undefined && err.errors.length > 0 && { errors: err.errors }),
  }
}

/** Sends `problem` as `application/problem+json`, with the headers some codes require. */
export function sendProblem(reply: FastifyReply, problem: Problem): FastifyReply {
  if (problem.code === 'RATE_LIMITED' && typeof problem['retryAfter'] === 'number') {
    reply.header('retry-after', String(problem['retryAfter']))
  }
  if (problem.code === 'UNAUTHENTICATED') reply.header('www-authenticate', 'Bearer realm="tresor"')
  // A string payload skips the route's response serializer, which describes success bodies only.
  return reply
    .code(problem.status)
    .header('x-request-id', problem.requestId)
    .type('application/problem+json; charset=utf-8')
    .send(JSON.stringify(problem))
}

function handleError(err: unknown, request: FastifyRequest, reply: FastifyReply): FastifyReply {
  const appError = toAppError(err)
  if (appError === undefined || appError.status >= 500) {
    request.log.error({ err }, 'request failed')
  } else {
    request.log.debug({ code: appError.code }, 'request refused')
  }
  return sendProblem(reply, buildProblem(appError, request.id))
}

/** Installs the RFC 9457 error handler and the 404 problem for unknown routes. */
export function registerErrorHandling(app: FastifyInstance): void {
  app.setErrorHandler(handleError)
  app.setNotFoundHandler((request, reply) =>
    sendProblem(
      reply,
      buildProblem(new AppError('NOT_FOUND', 'No route matches this method and path'), request.id),
    ),
  )
}
