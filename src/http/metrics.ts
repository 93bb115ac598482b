import type { FastifyInstance } from 'fastify'

const BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5]

interface Series {
  count: number
  sum: number
  buckets: number[]
}

/** Checks the server can serve: database reachable, root key usable. Throws when not ready. */
export type ReadinessCheck = () => Promise<void>

/**
 * Prometheus metrics at `GET /metrics` (request counts and latency histograms labelled by
 * method, route pattern and status — a pattern such as `/vars/:key`, never a key or a value) and
 * readiness at `GET /readyz`. Installs root hooks, so call it before the app is ready.
 */
export function registerOps(app: FastifyInstance, ready: ReadinessCheck): void {
  const series = new Map<string, Series>()
  const started = new WeakMap<object, bigint>()
  app.addHook('onRequest', (request, _reply, done) => {
    started.set(request, process.hrtime.bigint())
    done()
  })
  app.addHook('onResponse', (request, reply, done) => {
    const t0 = started.get(request)
    if (t0 !== undefined) {
      const seconds = Number(process.hrtime.bigint() - t0) / 1e9
      const route = request.routeOptions.url ?? 'unmatched'
      const key = `method="${request.method}",route="${route.replace(/["\\\n]/g, '_')}",status="${reply.statusCode}"`
      const s = series.get(key) ?? { count: 0, sum: 0, buckets: BUCKETS.map(() => 0) }
      s.count++
      s.sum += seconds
      BUCKETS.forEach((b, i) => {
        if (seconds <= b) s.buckets[i] = (s.buckets[i] ?? 0) + 1
      })
      series.set(key, s)
    }
    done()
  })
  app.get('/metrics', { config: { public: true }, schema: { hide: true } }, (_request, reply) => {
    const lines = [
      '# HELP tresor_http_requests_total HTTP requests by method, route pattern and status.',
      '# TYPE tresor_http_requests_total counter',
      ...[...series].map(([k, s]) => `tresor_http_requests_total{${k}} ${s.count}`),
      '# HELP tresor_http_request_duration_seconds Request latency.',
      '# TYPE tresor_http_request_duration_seconds histogram',
    ]
    for (const [k, s] of series) {
      BUCKETS.forEach((b, i) =>
        lines.push(
          `tresor_http_request_duration_seconds_bucket{${k},le="${b}"} ${s.buckets[i] ?? 0}`,
        ),
      )
      lines.push(`tresor_http_request_duration_seconds_bucket{${k},le="+Inf"} ${s.count}`)
      lines.push(`tresor_http_request_duration_seconds_sum{${k}} ${s.sum}`)
      lines.push(`tresor_http_request_duration_seconds_count{${k}} ${s.count}`)
    }
    return reply.type('text/plain; version=0.0.4').send(`${lines.join('\n')}\n`)
  })
  app.get(
    '/readyz',
    { config: { public: true }, schema: { hide: true } },
    async (_request, reply) => {
      try {
        await ready()
        return await reply.send({ ready: true })
      } catch {
        return reply.code(503).send({ ready: false })
      }
    },
  )
}
