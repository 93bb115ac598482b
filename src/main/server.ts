// Composition root of `tresor server`: parse settings once, build the parts, listen, drain on
// SIGTERM. The only place that knows every layer; everything below gets plain options.
import type { AddressInfo } from 'node:net'
import { redactDatabaseUrl, type ServerConfig } from '../config/server-config.ts'
import { buildServer, type TresorApp } from '../http/build-server.ts'
import { registerOps } from '../http/metrics.ts'
import { createFailureLimiter } from '../http/rate-limit.ts'
import { wire } from './wire.ts'

export interface ServerIo {
  stdout: (text: string) => void
  stderr: (text: string) => void
}

export interface RunningServer {
  app: TresorApp
  /** `http://HOST:PORT` with the port actually bound (the chosen one when 0 was asked). */
  url: string
  /**
   * Stops accepting connections, finishes in-flight requests (cutting off any connection still
   * open after the drain deadline), then releases the store.
   */
  close: () => Promise<void>
}

export interface StartOptions {
  /** How long in-flight requests may take to finish after `close` begins (default 10 s). */
  drainTimeoutMs?: number
}

export const processIo: ServerIo = {
  stdout: (text) => process.stdout.write(text),
  stderr: (text) => process.stderr.write(text),
}

function listeningUrl(host: string, address: AddressInfo | string | null): string {
  const port = typeof address === 'object' && address !== null ? address.port : 0
  return `http://${host.includes(':') ? `[${host}]` : host}:${port}`
}

/**
 * Builds the server from a parsed config, listens, and prints the one line
 * `Tresor listening on http://HOST:PORT` on stdout.
 */
export async function startServer(
  config: Readonly<ServerConfig>,
  io: ServerIo = processIo,
  options: StartOptions = {},
): Promise<RunningServer> {
  const parts = await wire(config)
  if (parts.ownerTokenFile !== undefined) {
    io.stderr(`First start: the owner token is in ${parts.ownerTokenFile} (mode 0600)\n`)
  }
  const app = buildServer({
    version: __TRESOR_VERSION__,
    log: { level: config.logLevel },
    auth: {
      authenticate: parts.authenticate,
      authenticateSession: parts.authenticateSession,
      limiter: createFailureLimiter(),
    },
    bodyLimit: config.bodyLimit,
    trustProxy: config.trustProxy,
    ...(options.drainTimeoutMs !== undefined && { drainTimeoutMs: options.drainTimeoutMs }),
    routes: parts.routes,
  })
  // Expired previews are removed (and audited) once a minute; the timer never keeps us alive.
  const sweeper = setInterval(() => {
    parts.sweepExpired().catch((err: unknown) => app.log.error({ err }, 'preview sweep failed'))
  }, 60_000).unref()
  parts.startWebhooks({
    userAgent: `Tresor-Webhooks/${__TRESOR_VERSION__}`,
    onError: (err) => app.log.error({ err }, 'webhook delivery failed'),
  })
  registerOps(app, parts.ready)
  app.addHook('onClose', async () => {
    clearInterval(sweeper)
    await parts.close()
  })
  await app.listen({ host: config.host, port: config.port })
  const url = listeningUrl(config.host, app.server.address())
  app.log.info(
    {
      url,
      dataDir: config.dataDir,
      store: config.databaseUrl === undefined ? 'sqlite' : redactDatabaseUrl(config.databaseUrl),
    },
    'started',
  )
  io.stdout(`Tresor listening on ${url}\n`)
  return { app, url, close: () => app.close() }
}
