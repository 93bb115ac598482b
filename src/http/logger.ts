import type { FastifyRequest } from 'fastify'
import {
  stdSerializers,
  type DestinationStream,
  type LevelWithSilent,
  type LoggerOptions,
} from 'pino'

export interface LogOptions {
  level: LevelWithSilent
  /** Where JSON lines go; defaults to stderr so that stdout carries only the listening line. */
  destination?: DestinationStream
}

// Defence in depth: the serializers below never log headers or bodies, but a future
// `req.log.info({ headers })` or `{ token }` must still not leak a credential or a value.
const REDACT_PATHS = [
  'req.headers.authorization',
  'req.headers.cookie',
  'headers.authorization',
  'headers.cookie',
  'res.headers["set-cookie"]',
  'authorization',
  'cookie',
  'token',
  '*.token',
  'password',
  '*.password',
  'value',
  '*.value',
  'body',
  'req.body',
]

interface RawishRequest {
  method?: string
  url?: string
  ip?: string
}

/** Only what identifies a request: the path without its query string, never headers or body. */
function serializeRequest(req: FastifyRequest | RawishRequest): Record<string, unknown> {
  const url = req.url ?? ''
  const q = url.indexOf('?')
  return { method: req.method, path: q === -1 ? url : url.slice(0, q), remoteAddress: req.ip }
}

/**
 * The pino options of the HTTP server: request/response serializers that log neither headers
 * nor bodies, and redaction of credentials in anything else logged.
 */
export function buildLoggerOptions(
  options: LogOptions,
): LoggerOptions & { stream: DestinationStream } {
  return {
    level: options.level,
    stream: options.destination ?? process.stderr,
    redact: { paths: REDACT_PATHS, censor: '[redacted]' },
    serializers: {
      req: serializeRequest,
      res: (reply: { statusCode: number }) => ({ statusCode: reply.statusCode }),
      err: stdSerializers.err,
    },
  }
}
