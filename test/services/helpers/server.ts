// The real server in-process (wire + buildServer, no listen) on a data dir, for the key tests
// that need the whole composition: key file or TRESOR_ROOT_KEY, previous keys, admin routes.
import { randomBytes } from 'node:crypto'
import type { ServerConfig } from '../../../src/config/server-config.ts'
import { buildServer, type TresorApp } from '../../../src/http/build-server.ts'
import { createFailureLimiter } from '../../../src/http/rate-limit.ts'
import { wire, type Wired } from '../../../src/main/wire.ts'

export type KeyConfig = Pick<ServerConfig, 'rootKey' | 'rootKeyPrevious'>

export interface TestServer {
  app: TresorApp
  wired: Wired
  ownerToken: string
  /** One request with the owner token (or `token`); returns status and parsed JSON. */
  call(
    method: 'GET' | 'POST' | 'PUT' | 'PATCH',
    url: string,
    body?: unknown,
    token?: string,
  ): Promise<{ status: number; json: Record<string, unknown> }>
  close(): Promise<void>
}

/** Starts the app on `dataDir` (SQLite) with the given root-key settings. */
export async function startServer(
  dataDir: string,
  keys: KeyConfig = { rootKey: undefined },
  ownerToken = `tresor_pat_owner_${randomBytes(16).toString('hex')}`,
): Promise<TestServer> {
  const wired = await wire({ dataDir, databaseUrl: undefined, bootstrapToken: ownerToken, ...keys })
  const app = buildServer({
    version: '0.0.0-test',
    log: { level: 'silent' },
    auth: { authenticate: wired.authenticate, limiter: createFailureLimiter() },
    bodyLimit: 1024 * 1024,
    routes: wired.routes,
  })
  app.addHook('onClose', async () => wired.close())
  await app.ready()
  return {
    app,
    wired,
    ownerToken,
    async call(method, url, body, token = ownerToken) {
      const res = await app.inject({
        method,
        url,
        headers: { authorization: `Bearer ${token}` },
        ...(body === undefined ? {} : { payload: body as Record<string, unknown> }),
      })
      const json = String(res.headers['content-type'] ?? '').includes('json')
        ? (JSON.parse(res.body) as Record<string, unknown>)
        : {}
      return { status: res.statusCode, json }
    },
    close: () => app.close(),
  }
}
