// The seed's curl examples (list, set, delete under /v1/repos/{repo}/environments/{env}/vars),
// run as written with ids and with slugs: in-process, and once against `tresor server` itself on
// a real port with fetch.
import { randomBytes } from 'node:crypto'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { expect, it } from 'vitest'
import { parseServerConfig } from '../../src/config/server-config.ts'
import { startServer } from '../../src/main/server.ts'
import { call } from './helpers/app.ts'
import { describeApp, newProject } from './helpers/fixtures.ts'

interface Listed {
  vars: { key: string; kind: string; preview?: string }[]
  revision: number
}
type Reply = { status: number; json: unknown }
type Send = (method: string, url: string, body?: unknown) => Promise<Reply>

const listed = (r: Reply) => r.json as Listed
const keysOf = (r: Reply) => listed(r).vars.map((v) => v.key)

/** The three calls of the seed, then the checks its readers rely on (jq '.vars[]', '.vars[].key'). */
async function seedFlow(send: Send, repo: string, env: string): Promise<void> {
  const url = `/v1/repos/${repo}/environments/${env}/vars`
  const before = await send('GET', url)
  expect(before.status).toBe(200)
  expect(Array.isArray(listed(before).vars)).toBe(true)
  const set = await send('PUT', url, { key: 'SECRET_KEY', value: 'super-secret-value' })
  expect(set).toEqual({
    status: 200,
    json: {
      key: 'SECRET_KEY',
      kind: 'secret',
      preview: 'super***alue',
      revision: listed(before).revision + 1,
      warnings: [],
      redeployRequired: true,
    },
  })
  const after = await send('GET', url)
  expect(keysOf(after)).toContain('SECRET_KEY')
  expect(listed(after).vars.find((v) => v.key === 'SECRET_KEY')).toMatchObject({
    kind: 'secret',
    preview: 'super***alue',
  })
  expect(JSON.stringify(after.json)).not.toContain('super-secret-value')
  const deleted = await send('DELETE', `${url}/SECRET_KEY`)
  expect(deleted.status).toBe(200)
  expect(deleted.json).toMatchObject({ removed: ['SECRET_KEY'], notFound: [] })
  expect(keysOf(await send('GET', url))).not.toContain('SECRET_KEY')
}

describeApp('the seed curl flow in-process', (t) => {
  const send: Send = async (method, url, body) => {
    const res = await call(t(), method, url, body === undefined ? {} : { body })
    return { status: res.statusCode, json: res.json<unknown>() }
  }

  it('runs with a repo id and an environment id', async () => {
    const p = await newProject(t(), 'seed')
    await seedFlow(send, p.id, p.envs['staging'] ?? '')
  })

  it('runs with slugs', async () => {
    const p = await newProject(t(), 'seed')
    await seedFlow(send, p.slug, 'production')
  })
})

it('runs unchanged against `tresor server` listening on a real port, with fetch', async () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'tresor-seed-'))
  const token = `tresor-bootstrap-${randomBytes(16).toString('hex')}`
  const parsed = parseServerConfig(
    {
      TRESOR_DATA_DIR: dataDir,
      TRESOR_PORT: '0',
      TRESOR_BOOTSTRAP_TOKEN: token,
      TRESOR_LOG_LEVEL: 'silent',
    },
    {},
  )
  if (!parsed.ok) throw new Error(JSON.stringify(parsed.problems))
  const lines: string[] = []
  const running = await startServer(parsed.config, {
    stdout: (text) => lines.push(text),
    stderr: () => {},
  })
  try {
    expect(lines).toEqual([`Tresor listening on ${running.url}\n`])
    const send: Send = async (method, url, body) => {
      const res = await fetch(`${running.url}${url}`, {
        method,
        headers: {
          Authorization: `Bearer ${token}`,
          ...(body === undefined ? {} : { 'Content-Type': 'application/json' }),
        },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      })
      return { status: res.status, json: await res.json() }
    }
    const created = await send('POST', '/v1/projects', { slug: 'my-api' })
    expect(created.status).toBe(201)
    const project = created.json as { id: string; environments: { id: string; slug: string }[] }
    const staging = project.environments.find((e) => e.slug === 'staging')
    await seedFlow(send, project.id, staging?.id ?? '')
    await seedFlow(send, 'my-api', 'staging')
  } finally {
    await running.close()
    rmSync(dataDir, { recursive: true, force: true })
  }
})
