// The real Tresor for the SSO tests: `wire()` with a clock the tests move, `buildServer()`
// listening on 127.0.0.1 port 0 (the provider redirects browsers to it), the built dashboard,
// logs captured for the canary, and a real OIDC provider configured as the workspace's SSO.
import { randomBytes } from 'node:crypto'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { AddressInfo } from 'node:net'
import { buildWeb } from '../../../scripts/build-web.mjs'
import { buildServer } from '../../../src/http/build-server.ts'
import { createFailureLimiter } from '../../../src/http/rate-limit.ts'
import { wire } from '../../../src/main/wire.ts'
import type { Store } from '../../../src/storage/store.ts'
import { startProvider, type TestProvider } from './provider.ts'

export interface SsoWorld {
  url: string
  ownerToken: string
  store: Store
  provider: TestProvider
  logs: string[]
  /** Moves Tresor's clock (not the provider's). */
  clock: { offsetMs: number }
  /** A JSON call; `auth` is a bearer token or a `{ cookie, csrf? }`. Returns status, headers, body. */
  call: (
    method: string,
    path: string,
    body?: unknown,
    auth?: string | { cookie: string; csrf?: string },
  ) => Promise<{ status: number; headers: Headers; body: Record<string, unknown>; text: string }>
  /** Configures SSO through the admin API. */
  configureSso(overrides?: Record<string, unknown>): Promise<void>
  close(): Promise<void>
}

export async function startSsoWorld(opts: { web?: boolean } = {}): Promise<SsoWorld> {
  if (opts.web === true) await buildWeb()
  const dataDir = mkdtempSync(join(tmpdir(), 'tresor-sso-'))
  const ownerToken = `tresor_pat_owner_${randomBytes(16).toString('hex')}`
  const clock = { offsetMs: 0 }
  const wired = await wire(
    { dataDir, databaseUrl: undefined, rootKey: randomBytes(32), bootstrapToken: ownerToken },
    { now: () => new Date(Date.now() + clock.offsetMs) },
  )
  const logs: string[] = []
  const app = buildServer({
    version: '0.0.0-test',
    log: { level: 'debug', destination: { write: (line: string) => logs.push(line) } },
    auth: {
      authenticate: wired.authenticate,
      authenticateSession: wired.authenticateSession,
      limiter: createFailureLimiter({ maxFailures: 100_000 }),
    },
    bodyLimit: 1024 * 1024,
    routes: wired.routes,
  })
  app.addHook('onClose', async () => wired.close())
  await app.listen({ host: '127.0.0.1', port: 0 })
  const url = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`
  const provider = await startProvider(`${url}/v1/sso/callback`)
  const call: SsoWorld['call'] = async (method, path, body, auth = ownerToken) => {
    const headers: Record<string, string> = {}
    if (typeof auth === 'string') headers.authorization = `Bearer ${auth}`
    else {
      headers.cookie = `tresor_session=${auth.cookie}`
      if (auth.csrf !== undefined) headers['x-tresor-csrf'] = auth.csrf
    }
    if (body !== undefined) headers['content-type'] = 'application/json'
    const res = await fetch(url + path, {
      method,
      headers,
      redirect: 'manual',
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    })
    const text = await res.text()
    let parsed: Record<string, unknown> = {}
    try {
      parsed = text === '' ? {} : (JSON.parse(text) as Record<string, unknown>)
    } catch {
      parsed = {}
    }
    return { status: res.status, headers: res.headers, body: parsed, text }
  }
  return {
    url,
    ownerToken,
    store: wired.store,
    provider,
    logs,
    clock,
    call,
    async configureSso(overrides = {}) {
      const res = await call('PUT', '/v1/sso/config', {
        issuer: provider.issuer,
        clientId: provider.clientId,
        clientSecret: provider.clientSecret,
        allowedDomains: ['example.com'],
        roleClaim: 'groups',
        roleMap: { 'tresor-admins': 'admin', engineers: 'developer', auditors: 'viewer' },
        defaultRole: null,
        ...overrides,
      })
      if (res.status !== 200) throw new Error(`configure SSO: ${res.status} ${res.text}`)
    },
    async close() {
      // A browser's open event stream would hold close() until the browser goes: cut it.
      const closing = app.close()
      app.server.closeAllConnections()
      await closing
      await provider.close()
      rmSync(dataDir, { recursive: true, force: true })
    },
  }
}
