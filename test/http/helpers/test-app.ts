import { randomBytes } from 'node:crypto'
import { z } from 'zod'
import type { Actor } from '../../../src/core/actor.ts'
import { AppError } from '../../../src/core/errors.ts'
import { actorOf } from '../../../src/http/auth.ts'
import { buildServer, type TresorApp } from '../../../src/http/build-server.ts'
import { createFailureLimiter } from '../../../src/http/rate-limit.ts'

export const GOOD_TOKEN = `tresor_pat_${randomBytes(24).toString('hex')}`
export const canary = (): string => `CANARY_${randomBytes(12).toString('hex')}`

export const ACTOR: Actor = {
  kind: 'member',
  id: 'mem_0000000000000000',
  workspaceId: 'wsp_0000000000000000',
  memberId: 'mem_0000000000000000',
  role: 'owner',
  scopes: ['admin'],
  tokenId: 'tok_0000000000000000',
}

export interface TestApp {
  app: TresorApp
  logs: string[]
  clock: { now: number }
}

// Tiny routes exercising each framework path: a zod body, a query, text, and two failures.
function testRoutes(app: TresorApp): void {
  app.post(
    '/v1/things',
    {
      schema: {
        body: z.object({ name: z.string().min(1).max(20), count: z.number().int() }),
        response: { 201: z.object({ name: z.string(), count: z.number(), by: z.string() }) },
      },
    },
    async (request, reply) => reply.code(201).send({ ...request.body, by: actorOf(request).id }),
  )
  app.get(
    '/v1/things',
    { schema: { querystring: z.object({ limit: z.coerce.number().int().max(100) }) } },
    (request) => ({ limit: request.query.limit }),
  )
  app.put('/v1/doc', { schema: { body: z.string() } }, (request) => ({
    length: request.body.length,
  }))
  app.get('/v1/boom', () => {
    throw new Error(`driver exploded near ${boomCanary}`)
  })
  app.get('/v1/stale', () => {
    throw new AppError('PRECONDITION_FAILED', 'The document changed since revision 3', [], {
      currentRevision: 4,
    })
  })
}

export const boomCanary = canary()

/** A framework-only server: log lines captured, a fake clock behind the failure limiter. */
export function makeTestApp(
  options: { level?: 'debug' | 'info'; maxFailures?: number } = {},
): TestApp {
  const logs: string[] = []
  const clock = { now: 1_000_000 }
  const app = buildServer({
    version: '0.0.0-test',
    log: {
      level: options.level ?? 'debug',
      destination: { write: (line: string) => logs.push(line) },
    },
    auth: {
      authenticate: (token) => Promise.resolve(token === GOOD_TOKEN ? ACTOR : undefined),
      limiter: createFailureLimiter({
        maxFailures: options.maxFailures ?? 3,
        windowMs: 10_000,
        now: () => clock.now,
      }),
    },
    bodyLimit: 2048,
    routes: [testRoutes],
  })
  return { app, logs, clock }
}

export const bearer = (token: string): Record<string, string> => ({
  authorization: `Bearer ${token}`,
})
