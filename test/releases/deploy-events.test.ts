// A deploy-only token hears the releases of the environments it may deploy on the event stream,
// and nothing else: no variable events (they name keys), no other environment, no other project.
import { afterAll, beforeAll, expect, it } from 'vitest'
import { call, ok } from '../http/helpers/app.ts'
import {
  describeApp,
  like,
  mintToken,
  newProject,
  type TestProject,
} from '../http/helpers/fixtures.ts'
import { open, until, type Stream } from '../http/helpers/event-stream.ts'

const SECRET = 'deploy-events-secret-abcdefghijkl'

/** Every event of the stream as `[type, data]`. */
function eventsOf(text: string): Array<[string, Record<string, unknown>]> {
  return text
    .split('\n\n')
    .filter((block) => block.includes('event: '))
    .map((block) => [
      /^event: (.*)$/m.exec(block)?.[1] ?? '',
      JSON.parse(/^data: (.*)$/m.exec(block)?.[1] ?? '{}') as Record<string, unknown>,
    ])
}

describeApp('release events for a deploy-only token', (t) => {
  let url: string
  let p: TestProject
  let other: TestProject
  const streams: Stream[] = []
  beforeAll(async () => {
    await t().app.listen({ host: '127.0.0.1', port: 0 })
    const address = t().app.server.address()
    url = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`
    p = await newProject(t())
    other = await newProject(t(), 'other')
  })
  afterAll(() => {
    for (const s of streams) s.close()
  })

  const E = (project: TestProject, env: string) =>
    `/v1/projects/${project.slug}/environments/${env}`

  it('streams the releases of its environments only, never a variable event', async () => {
    const deployer = await mintToken(t(), {
      scopes: ['deploy'],
      project: p.slug,
      environments: ['staging'],
    })
    const wide = await mintToken(t(), { scopes: ['deploy'] })
    const narrow = await open(`${url}/v1/events?project=${p.slug}&env=staging`, deployer.token)
    const unfiltered = await open(`${url}/v1/events`, deployer.token)
    const workspace = await open(`${url}/v1/events`, wide.token)
    streams.push(narrow, unfiltered, workspace)
    expect(narrow.res.statusCode).toBe(200)
    expect(unfiltered.res.statusCode).toBe(200)
    for (const [project, env] of [
      [p, 'production'],
      [other, 'staging'],
      [p, 'staging'],
    ] as const) {
      await ok(t(), 'PUT', `${E(project, env)}/vars`, { body: { key: 'TOKEN', value: SECRET } })
      await ok(t(), 'POST', `${E(project, env)}/releases`, { status: 201 })
    }
    const expected = {
      type: 'release.created',
      projectId: p.id,
      environmentId: p.envs['staging'],
      at: like(/Z$/),
      data: { releaseId: like(/^rel_/), number: 1, revision: 1, deployId: like(/^[0-9a-f-]{36}$/) },
    }
    await until(
      () => eventsOf(narrow.text()).length === 1 && eventsOf(unfiltered.text()).length === 1,
    )
    await until(() => eventsOf(workspace.text()).length === 3)
    expect(eventsOf(narrow.text())).toEqual([['release.created', expected]])
    expect(eventsOf(unfiltered.text())).toEqual([['release.created', expected]])
    // A workspace-wide deployer hears every release, still no variable event.
    expect(eventsOf(workspace.text()).map(([type, e]) => [type, e['environmentId']])).toEqual([
      ['release.created', p.envs['production']],
      ['release.created', other.envs['staging']],
      ['release.created', p.envs['staging']],
    ])
    for (const s of [narrow, unfiltered, workspace]) {
      expect(s.text()).not.toContain('variables.changed')
      expect(s.text()).not.toContain('TOKEN')
      expect(s.text()).not.toContain(SECRET)
    }
  })

  it('refuses environments and projects it may not deploy, and tokens that neither read nor deploy', async () => {
    const deployer = await mintToken(t(), {
      scopes: ['deploy'],
      project: p.slug,
      environments: ['staging'],
    })
    const elsewhere = await open(
      `${url}/v1/events?project=${p.slug}&env=production`,
      deployer.token,
    )
    const otherProject = await open(`${url}/v1/events?project=${other.slug}`, deployer.token)
    const revealer = await mintToken(t(), { scopes: ['secrets:reveal'] })
    const none = await open(`${url}/v1/events?project=${p.slug}`, revealer.token)
    streams.push(elsewhere, otherProject, none)
    expect(elsewhere.res.statusCode).toBe(404)
    expect(otherProject.res.statusCode).toBe(404)
    expect(none.res.statusCode).toBe(403)
  })

  it('reads release metadata (not the variables) of what it deploys', async () => {
    const deployer = await mintToken(t(), {
      scopes: ['deploy'],
      project: p.slug,
      environments: ['staging'],
    })
    const latest = await ok<{ number: number; status: string }>(
      t(),
      'GET',
      `${E(p, 'staging')}/releases/latest`,
      { token: deployer.token },
    )
    expect(latest).toMatchObject({ number: 1, status: 'active' })
    const list = await ok<{ releases: unknown[] }>(t(), 'GET', `${E(p, 'staging')}/releases`, {
      token: deployer.token,
    })
    expect(list.releases).toHaveLength(1)
    const vars = await call(t(), 'GET', `${E(p, 'staging')}/vars`, { token: deployer.token })
    expect(vars.statusCode).toBe(403)
    const production = await call(t(), 'GET', `${E(p, 'production')}/releases/latest`, {
      token: deployer.token,
    })
    expect(production.statusCode).toBe(404)
  })
})
