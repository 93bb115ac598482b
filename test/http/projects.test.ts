// Projects and environments: create, list, get, delete, by id and by slug, under /v1/projects and
// its /v1/repos alias, with the exact shapes of PRODUCT.md §5.
import { expect, it } from 'vitest'
import { call, ok } from './helpers/app.ts'
import { describeApp, expectProblem, like, newProject } from './helpers/fixtures.ts'

interface Project {
  id: string
  slug: string
  name: string
  environments: { id: string; slug: string }[]
  requiredKeys: string[]
  createdAt: string
}

describeApp('project and environment routes', (t) => {
  it('POST /v1/projects answers 201 {id, slug, environments:[{id, slug}]} with the three defaults', async () => {
    const res = await call(t(), 'POST', '/v1/projects', { body: { slug: 'shop' } })
    expect(res.statusCode).toBe(201)
    const body = res.json<Project>()
    expect(body).toEqual({
      id: like(/^prj_[0-9a-z]{16}$/),
      slug: 'shop',
      name: 'shop',
      environments: [
        { id: like(/^env_/), slug: 'development' },
        { id: like(/^env_/), slug: 'staging' },
        { id: like(/^env_/), slug: 'production' },
      ],
      requiredKeys: [],
      createdAt: like(/^\d{4}-\d\d-\d\dT.*Z$/),
    })
    expect(await ok(t(), 'GET', `/v1/projects/${body.id}`)).toEqual(body)
    expect(await ok(t(), 'GET', '/v1/repos/shop')).toEqual(body)
  })

  it('GET /v1/projects/{project} and the list carry the project-wide required keys', async () => {
    const made = await ok<Project>(t(), 'POST', '/v1/projects', {
      body: { slug: 'req' },
      status: 201,
    })
    await ok(t(), 'PATCH', '/v1/projects/req', { body: { requiredKeys: ['SENTRY_DSN', 'A_KEY'] } })
    const got = await ok<Project>(t(), 'GET', '/v1/projects/req')
    expect(got).toEqual({ ...made, requiredKeys: ['SENTRY_DSN', 'A_KEY'] })
    const list = await ok<{ projects: Project[] }>(t(), 'GET', '/v1/projects')
    expect(list.projects.find((p) => p.slug === 'req')?.requiredKeys).toEqual([
      'SENTRY_DSN',
      'A_KEY',
    ])
    await ok(t(), 'DELETE', '/v1/projects/req', { status: 204 })
  })

  it('takes its own environment list and name; a taken slug is 409; a bad slug 400 naming the field', async () => {
    const custom = await ok<Project>(t(), 'POST', '/v1/projects', {
      body: { slug: 'api', name: 'The API', environments: ['dev', 'prod'] },
      status: 201,
    })
    expect([custom.name, custom.environments.map((e) => e.slug)]).toEqual([
      'The API',
      ['dev', 'prod'],
    ])
    const again = await call(t(), 'POST', '/v1/projects', { body: { slug: 'api' } })
    expectProblem(again, 409, 'CONFLICT')
    const bad = await call(t(), 'POST', '/v1/projects', { body: { slug: 'My App' } })
    expect(expectProblem(bad, 400, 'VALIDATION_FAILED').errors).toEqual([
      {
        field: 'slug',
        message:
          'must be 1–63 lowercase letters, digits or dashes, starting with a letter or digit',
      },
    ])
  })

  it('lists projects with their environments, sorted by slug', async () => {
    const list = await ok<{ projects: Project[] }>(t(), 'GET', '/v1/projects')
    expect(list.projects.map((p) => [p.slug, p.environments.length])).toEqual([
      ['api', 2],
      ['shop', 3],
    ])
  })

  it('creates, gets, lists and deletes an environment by slug and by id', async () => {
    const p = await newProject(t())
    const created = await call(t(), 'POST', `/v1/repos/${p.slug}/environments`, {
      body: { slug: 'qa' },
    })
    expect(created.statusCode).toBe(201)
    const env = created.json<{ id: string }>()
    expect(env).toEqual({
      id: like(/^env_/),
      slug: 'qa',
      projectId: p.id,
      parentId: null,
      expiresAt: null,
      autoDeploy: false,
      requiredKeys: [],
      revision: 0,
      redeployRequired: false,
      changedKeys: [],
      currentRelease: null,
      createdAt: like(/Z$/),
    })
    expect(await ok(t(), 'GET', `/v1/projects/${p.id}/environments/${env.id}`)).toEqual(env)
    expect(await ok(t(), 'GET', `/v1/repos/${p.slug}/environments/qa`)).toEqual(env)
    const all = await ok<{ environments: { slug: string }[] }>(
      t(),
      'GET',
      `/v1/projects/${p.slug}/environments`,
    )
    expect(all.environments.map((e) => e.slug)).toEqual([
      'development',
      'staging',
      'production',
      'qa',
    ])
    const dup = await call(t(), 'POST', `/v1/projects/${p.slug}/environments`, {
      body: { slug: 'qa' },
    })
    expectProblem(dup, 409, 'CONFLICT')
    const del = await call(t(), 'DELETE', `/v1/projects/${p.slug}/environments/qa`)
    expect([del.statusCode, del.body]).toEqual([204, ''])
    const gone = await call(t(), 'GET', `/v1/projects/${p.slug}/environments/${env.id}`)
    expect(expectProblem(gone, 404, 'NOT_FOUND').detail).toBe(`environment '${env.id}' not found`)
  })

  it('an environment writes nothing into its siblings', async () => {
    const p = await newProject(t())
    const vars = (env: string) => `/v1/projects/${p.slug}/environments/${env}/vars`
    await ok(t(), 'PUT', vars('staging'), { body: { key: 'ONLY_HERE', value: '1' } })
    for (const env of ['development', 'production']) {
      const list = await ok<{ vars: { key: string }[]; revision: number }>(t(), 'GET', vars(env))
      expect([list.revision, list.vars.some((v) => v.key === 'ONLY_HERE')]).toEqual([0, false])
    }
  })

  it('deletes a project: it is gone by slug and by id, and its slug can be used again', async () => {
    const p = await newProject(t())
    const res = await call(t(), 'DELETE', `/v1/repos/${p.id}`)
    expect(res.statusCode).toBe(204)
    for (const ref of [p.id, p.slug]) {
      const gone = await call(t(), 'GET', `/v1/projects/${ref}`)
      expect(expectProblem(gone, 404, 'NOT_FOUND').detail).toBe(`project '${ref}' not found`)
      expectProblem(
        await call(t(), 'GET', `/v1/projects/${ref}/environments/staging/vars`),
        404,
        'NOT_FOUND',
      )
    }
    const again = await ok<Project>(t(), 'POST', '/v1/projects', {
      body: { slug: p.slug },
      status: 201,
    })
    expect(again.id).not.toBe(p.id)
  })
})
