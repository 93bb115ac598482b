import { z } from 'zod'
import { can, type Actor } from '../../core/actor.ts'
import type { EventFilter, EventType } from '../../core/events.ts'
import { resolveEnvironment, resolveProject } from '../../services/projects/targets.ts'
import type { TresorApp } from '../build-server.ts'
import { openEventStream } from '../sse.ts'
import { ctxOf, type RouteDeps } from './route-deps.ts'

const EventsQuerySchema = z.object({ project: z.string().optional(), env: z.string().optional() })

// What a deploy-only token (a CI deployer, `tresor run --follow`) is told: the releases of the
// environments it may deploy. Variable events name keys, which it may not read.
const RELEASE_EVENTS: readonly EventType[] = ['release.created', 'release.updated']

// How often an open stream looks its caller's credentials up again: at most this often before
// an event is delivered, and on a timer while the stream is quiet. A revoked or expired token, a
// disabled member or an ended session loses its stream within this time.
const RECHECK_MS = 1000
const IDLE_RECHECK_MS = 30_000

/** `deploy` for a token that may deploy but not read; `read` (the usual check) otherwise. */
const viewOf = (actor: Actor) => (!can(actor, 'read') && can(actor, 'deploy') ? 'deploy' : 'read')

/**
 * The caller of a long-lived stream as it is now: looked up again when the last look is older
 * than `maxAgeMs`; `undefined` (and `lost()` called once) when the credentials stopped working.
 */
function currentCaller(
  first: Actor,
  recheck: (() => Promise<Actor | undefined>) | null,
  lost: () => void,
) {
  let actor: Actor | undefined = first
  let checkedAt = Date.now()
  let pending: Promise<Actor | undefined> | undefined
  return {
    now(maxAgeMs: number): Promise<Actor | undefined> {
      if (actor === undefined || recheck === null || Date.now() - checkedAt < maxAgeMs)
        return Promise.resolve(actor)
      pending ??= recheck()
        .catch(() => undefined)
        .then((fresh) => {
          actor = fresh
          checkedAt = Date.now()
          pending = undefined
          if (fresh === undefined) lost()
          return fresh
        })
      return pending
    },
  }
}

/**
 * `GET /v1/events`: a server-sent event stream of changes and releases the caller may see,
 * optionally narrowed to one project or environment. Events name keys, never values. A
 * deploy-only token gets the release events of the environments it may deploy, nothing else.
 */
export function eventRoutes(deps: RouteDeps) {
  return (app: TresorApp) => {
    app.get(
      '/v1/events',
      {
        schema: {
          tags: ['events'],
          querystring: EventsQuerySchema,
          response: {
            200: {
              description:
                'One `event:` per change or release; `data:` is JSON naming keys, never values',
              content: { 'text/event-stream': { schema: z.string() } },
            },
          },
        },
      },
      async (req, reply) => {
        const ctx = ctxOf(req)
        const view = viewOf(ctx.actor)
        const filter: EventFilter = view === 'deploy' ? { types: RELEASE_EVENTS } : {}
        if (req.query.project !== undefined) {
          const project = await resolveProject(deps.store, ctx, req.query.project, view)
          Object.assign(filter, { projectId: project.id })
          if (req.query.env !== undefined) {
            const t = await resolveEnvironment(deps.store, ctx, project.id, req.query.env, view)
            Object.assign(filter, { environmentIds: [t.scope.environmentId] })
          }
        }
        if (filter.projectId === undefined && ctx.actor.projectId !== undefined)
          filter.projectId = ctx.actor.projectId
        if (filter.environmentIds === undefined && ctx.actor.environmentIds !== undefined)
          filter.environmentIds = ctx.actor.environmentIds
        const stream = openEventStream(req, reply)
        const ws = ctx.actor.workspaceId
        const caller = currentCaller(ctx.actor, req.recheckCaller, () => stream.close())
        // Events are delivered in order, each after the caller was (re)checked.
        let queue = Promise.resolve()
        const stop = deps.events.subscribe(ws, filter, (event) => {
          const target = {
            workspaceId: ws,
            ...(event.projectId === undefined ? {} : { projectId: event.projectId }),
            ...(event.environmentId === undefined ? {} : { environmentId: event.environmentId }),
          }
          // Fail closed: a deployer is only told of what happened to an environment.
          if (view === 'deploy' && event.environmentId === undefined) return
          queue = queue.then(async () => {
            const actor = await caller.now(RECHECK_MS)
            if (actor !== undefined && can(actor, view, target))
              stream.send({ event: event.type, data: event })
          })
        })
        const idle = setInterval(() => void caller.now(IDLE_RECHECK_MS), IDLE_RECHECK_MS)
        idle.unref()
        stream.onClose(() => {
          clearInterval(idle)
          stop()
        })
      },
    )
  }
}
