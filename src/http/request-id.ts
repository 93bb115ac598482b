import type { FastifyInstance } from 'fastify'
import { newId } from '../core/ids.ts'

/**
 * A fresh `req_…` id for every request. A client-sent id is never used: it would let a caller
 * forge or collide with the ids that tie a problem response to its log lines.
 */
export function generateRequestId(): string {
  return newId('request')
}

/** Puts the request id in the `x-request-id` header of every response, errors included. */
export function registerRequestId(app: FastifyInstance): void {
  // onRequest runs before anything can fail in routing, auth or parsing; the error handler
  // and the event-stream helper set the header again on the paths that bypass this reply.
  app.addHook('onRequest', (request, reply, done) => {
    reply.header('x-request-id', request.id)
    done()
  })
}
