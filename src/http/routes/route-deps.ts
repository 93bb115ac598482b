import type { FastifyRequest } from 'fastify'
import { AppError } from '../../core/errors.ts'
import type { RequestContext } from '../../services/context.ts'
import type { DocumentService } from '../../services/documents/document-service.ts'
import type { ProjectService } from '../../services/projects/project-service.ts'
import type { TokenService } from '../../services/tokens/token-service.ts'
import type { VariableService } from '../../services/variables/variable-service.ts'
import type { Store } from '../../storage/store.ts'
import type { EventBus } from '../../core/events.ts'
import { actorOf } from '../auth.ts'

/** What the route files need: the services, and reads of the store for listings. */
export interface RouteDeps {
  store: Store
  documents: DocumentService
  variables: VariableService
  projects: ProjectService
  tokens: TokenService
  events: EventBus
}

/** The request's context for services: the authenticated actor, client address, request id. */
export function ctxOf(request: FastifyRequest): RequestContext {
  return { actor: actorOf(request), ip: request.ip, requestId: request.id }
}

/**
 * The revision a write was based on, from `If-Match: "7"` (or `W/"7"`, or `7`); undefined when
 * absent or `*`. A malformed value is refused rather than ignored: it would silently drop the
 * caller's concurrency check.
 */
export function baseRevisionOf(request: FastifyRequest): number | undefined {
  const header = request.headers['if-match']
  if (header === undefined || header.trim() === '*') return undefined
  const m = /^\s*(?:W\/)?"?(\d{1,15})"?\s*$/.exec(header)
  if (!m) {
    throw new AppError('BAD_REQUEST', 'If-Match must be a revision number such as "7"', [
      { field: 'If-Match', message: 'expected a revision number' },
    ])
  }
  return Number(m[1])
}

/** Commit options from the request: the If-Match base, when given. */
export function commitOptsOf(request: FastifyRequest): { baseRevision?: number } {
  const base = baseRevisionOf(request)
  return base === undefined ? {} : { baseRevision: base }
}

/** Both spellings of a project's path: `/v1/projects/{project}` and the `/v1/repos/` alias. */
export const PROJECT_PREFIXES = ['/v1/projects/:project', '/v1/repos/:project'] as const
