// Leak canary: one random secret pushed through every route and every error path; then searched
// for in every response body, the audit log, the OpenAPI document, the server's own debug log and
// the database files. It may appear only where its purpose is to be read: the audited reveal and
// a deploy token's release environment.
import { randomBytes } from 'node:crypto'
import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, beforeAll, expect, it } from 'vitest'
import { call, ok, type CallOptions } from './helpers/app.ts'
import { open, until, type Stream } from './helpers/event-stream.ts'
import {
  describeApp,
  memberToken,
  mintToken,
  newProject,
  TEXT,
  type TestProject,
} from './helpers/fixtures.ts'
import { sampleOf, urlOf } from './helpers/route-samples.ts'

// `+`, `/` and `=` make it an impossible key, so no error may name it as one.
const CANARY = `LeAk+${randomBytes(24).toString('hex')}/==`

describeApp(
  'leak canary',
  (t) => {
    let p: TestProject
    const bodies: { what: string; status: number; body: string }[] = []
    const send = async (what: string, method: string, url: string, options: CallOptions = {}) => {
      const res = await call(t(), method, url, options)
      bodies.push({ what, status: res.statusCode, body: res.body })
      return res
    }
    // The event stream, open while the canary goes through every route.
    let stream: Stream | undefined
    beforeAll(async () => {
      p = await newProject(t(), 'leak')
      await t().app.listen({ host: '127.0.0.1', port: 0 })
      const address = t().app.server.address()
      const port = typeof address === 'object' && address ? address.port : 0
      stream = await open(`http://127.0.0.1:${port}/v1/events`, t().ownerToken)
    })
    afterAll(() => stream?.close())

    it('accepts the canary as a secret through every write route', async () => {
      const env = `/v1/projects/${p.slug}/environments/production`
      const writes: [string, string, string, CallOptions][] = [
        ['put', 'PUT', `${env}/vars`, { body: { key: 'LEAK_1', value: CANARY } }],
        ['shared', 'PUT', `/v1/repos/${p.slug}/vars`, { body: { key: 'LEAK_S', value: CANARY } }],
        [
          'patch',
          'PATCH',
          `${env}/vars`,
          { body: { env: { LEAK_2: CANARY }, secrets: ['LEAK_2'] } },
        ],
        ['doc', 'PUT', `${env}/document`, { body: `LEAK_3="${CANARY}" # secret\n`, headers: TEXT }],
        [
          'preview',
          'POST',
          `/v1/projects/${p.slug}/previews`,
          { body: { slug: 'pr-1', parent: 'production', overrides: { LEAK_4: CANARY } } },
        ],
        ['release', 'POST', `${env}/releases`, { body: {} }],
      ]
      for (const [what, method, url, options] of writes) {
        const res = await send(what, method, url, options)
        expect([what, res.statusCode < 300]).toEqual([what, true])
      }
      const doc = await send('get doc', 'GET', `${env}/document`)
      const replaced = await send('replace', 'PUT', `${env}/document?replace=true`, {
        body: `${doc.body}# kept\n`,
        headers: TEXT,
      })
      expect(replaced.statusCode).toBe(200)
      const revealed = await ok(t(), 'POST', `${env}/vars/LEAK_3/reveal`)
      expect(revealed).toEqual({ key: 'LEAK_3', value: CANARY })
      const deployed = await ok<{ env: Record<string, string> }>(
        t(),
        'GET',
        `${env}/releases/latest/env`,
      )
      expect(deployed.env['LEAK_1']).toBe(CANARY)
    })

    it('refuses the canary on every error path without repeating it', async () => {
      const env = `/v1/projects/${p.slug}/environments/production`
      const json = { 'content-type': 'application/json' }
      const errors: [string, string, string, CallOptions, number][] = [
        ['bad key', 'PUT', `${env}/vars`, { body: { key: 'BAD KEY', value: CANARY } }, 400],
        ['key=value', 'PUT', `${env}/vars`, { body: { key: `K=${CANARY}`, value: 'v' } }, 400],
        ['record key', 'PATCH', `${env}/vars`, { body: { env: { [`X=${CANARY}`]: 'v' } } }, 400],
        ['nul', 'PUT', `${env}/vars`, { body: { key: 'A', value: `${CANARY}\u0000` } }, 400],
        ['long', 'PUT', `${env}/vars`, { body: { key: 'A', value: CANARY.repeat(1200) } }, 400],
        ['huge', 'PUT', `${env}/vars`, { body: { key: 'A', value: CANARY.repeat(20_000) } }, 413],
        [
          'bad json',
          'PUT',
          `${env}/vars`,
          { body: `{"key":"A","value":"${CANARY}"`, headers: json },
          400,
        ],
        ['reserved', 'PUT', `${env}/vars`, { body: { key: 'PORT', value: CANARY } }, 422],
        [
          'doc reserved',
          'PUT',
          `${env}/document`,
          { body: `PORT=${CANARY}\n`, headers: TEXT },
          422,
        ],
        ['doc quote', 'PUT', `${env}/document`, { body: `A="${CANARY}\n`, headers: TEXT }, 400],
        ['doc key', 'PUT', `${env}/document`, { body: `${CANARY}=1\n`, headers: TEXT }, 400],
        [
          'charset',
          'PUT',
          `${env}/document`,
          { body: `A=${CANARY}\n`, headers: { 'content-type': 'text/plain; charset=latin1' } },
          415,
        ],
        [
          'stale',
          'PUT',
          `${env}/vars`,
          { body: { key: 'A', value: CANARY }, headers: { 'if-match': '"1"' } },
          412,
        ],
        ['token', 'GET', `${env}/vars`, { token: CANARY }, 401],
        ['no route', 'POST', '/v1/nowhere', { body: { value: CANARY } }, 404],
        [
          'link',
          'POST',
          '/v1/secret-requests/fulfill',
          { token: null, body: { token: 'x'.repeat(43), value: CANARY } },
          404,
        ],
      ]
      // Refused reveals (recorded in the audit log) and a developer without the production grant
      // reading a release's values.
      const reader = await mintToken(t(), { scopes: ['read'] })
      const dev = await ok<{ id: string }>(t(), 'POST', '/v1/members', {
        body: { email: 'leak-dev@example.com', role: 'developer' },
        status: 201,
      })
      const devToken = await memberToken(t(), dev.id, ['read', 'deploy', 'secrets:reveal'])
      errors.push(
        ['denied reveal', 'POST', `${env}/vars/LEAK_3/reveal`, { token: reader.token }, 403],
        ['ungranted reveal', 'POST', `${env}/vars/LEAK_1/reveal`, { token: devToken.token }, 403],
        ['ungranted env', 'GET', `${env}/releases/latest/env`, { token: devToken.token }, 403],
      )
      for (const [what, method, url, options, status] of errors) {
        const res = await send(what, method, url, options)
        expect([what, res.statusCode]).toEqual([what, status])
      }
      const skipped = await send('skip', 'PUT', `${env}/document?skipReserved=true`, {
        body: `PORT=${CANARY}\nOK_KEY=1\n`,
        headers: TEXT,
      })
      expect(skipped.json()).toMatchObject({
        warnings: [
          "PORT is a system variable and cannot be changed: Tresor sets it to '3000' (line 1 skipped)",
        ],
      })
    })

    it('finds the canary in no response of any readable route', async () => {
      const ids = {
        project: p.id,
        env: p.envs['production'] ?? '',
        key: 'LEAK_1',
        tokenId: 'tok_0000000000000000',
        memberId: 'mem_0000000000000000',
        release: 'latest',
        secretRequestId: 'sreq_0000000000000000',
        webhookId: 'whk_0000000000000000',
        deliveryId: 'dlv_0000000000000000',
      }
      for (const route of t().routes) {
        const sample = sampleOf(route)
        if (!['GET', 'HEAD'].includes(route.method) || sample?.streaming) continue
        if (sample === undefined || route.url.endsWith('/releases/:release/env')) continue
        await send(`${route.method} ${route.url}`, route.method, urlOf(route, sample, ids))
      }
      await send('openapi', 'GET', '/v1/openapi.json')
      await send('audit', 'GET', '/v1/audit?limit=1000')
      expect(bodies.length).toBeGreaterThan(60)
      expect(bodies.filter((b) => b.body.includes(CANARY)).map((b) => b.what)).toEqual([])
    })

    it('finds the canary in no audit row, no log line (debug level) and no database file', async () => {
      const rows = await t().sql('select * from audit_events')
      expect(rows.length).toBeGreaterThan(10)
      expect(JSON.stringify(rows)).not.toContain(CANARY)
      expect(rows.filter((r) => r['outcome'] === 'denied').length).toBeGreaterThanOrEqual(2)
      // The event stream heard every write, by key name only.
      await until(() => (stream?.text() ?? '').includes('LEAK_3'))
      expect(stream?.text()).toContain('event: variables.changed')
      expect(stream?.text()).not.toContain(CANARY)
      const log = t().logs.join('')
      expect(log).toContain('"level":20') // debug lines were captured
      expect(log).toContain('request refused')
      expect(log).not.toContain(CANARY)
      expect(log).not.toContain(t().ownerToken)
      if (t().engine === 'sqlite') {
        for (const file of readdirSync(t().dataDir)) {
          const bytes = readFileSync(join(t().dataDir, file))
          expect([file, bytes.includes(CANARY)]).toEqual([file, false])
        }
      }
    })
  },
  { logLevel: 'debug' },
)
