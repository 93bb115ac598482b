// The real server for browser tests: the built dashboard (rebuilt when stale), `startServer` on
// port 0, a temp data dir, SQLite, and a known owner token (TRESOR_BOOTSTRAP_TOKEN's setting).
import { randomBytes } from 'node:crypto'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { buildWeb } from '../../../scripts/build-web.mjs'
import { testServerConfig } from '../../helpers/server-config.ts'
import { startServer } from '../../../src/main/server.ts'

export interface TestServer {
  url: string
  ownerToken: string
  dataDir: string
  /** A JSON API call with the owner token (or `token`); throws on a non-2xx answer. */
  api<T = Record<string, unknown>>(
    method: string,
    path: string,
    body?: unknown,
    token?: string,
  ): Promise<T>
  close(): Promise<void>
}

/** Builds the dashboard if needed and starts a fresh server. */
export async function startTestServer(): Promise<TestServer> {
  await buildWeb()
  const dataDir = mkdtempSync(join(tmpdir(), 'tresor-web-'))
  const ownerToken = `tresor_pat_owner_${randomBytes(16).toString('hex')}`
  const running = await startServer(testServerConfig(dataDir, ownerToken), {
    stdout: () => {},
    stderr: () => {},
  })
  const api = async <T>(method: string, path: string, body?: unknown, token = ownerToken) => {
    const text = typeof body === 'string'
    const res = await fetch(running.url + path, {
      method,
      headers: {
        authorization: `Bearer ${token}`,
        ...(body === undefined ? {} : { 'content-type': text ? 'text/plain' : 'application/json' }),
      },
      ...(body === undefined ? {} : { body: text ? body : JSON.stringify(body) }),
    })
    const answer = await res.text()
    if (!res.ok) throw new Error(`${method} ${path}: HTTP ${res.status} ${answer}`)
    return (answer === '' ? {} : JSON.parse(answer)) as T
  }
  return {
    url: running.url,
    ownerToken,
    dataDir,
    api,
    async close() {
      // A close that hangs says where, so that a timeout in CI can be traced.
      const slow = setTimeout(() => {
        running.app.server.getConnections((_err, open) => {
          process.stderr.write(
            `[web test server] still closing after 5 s: ${open} connection(s) open\n`,
          )
        })
      }, 5_000)
      try {
        await running.close()
      } finally {
        clearTimeout(slow)
      }
      rmSync(dataDir, { recursive: true, force: true })
    },
  }
}
