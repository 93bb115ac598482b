import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { ENGINES } from '../helpers/stores.ts'
import { call, ok, startApp, type AppUnderTest } from '../http/helpers/app.ts'
import {
  addWorkspace,
  expectProblem,
  mintToken,
  newProject,
  type TestProject,
} from '../http/helpers/fixtures.ts'
import { createHook, type CreatedHook } from './helpers/setup.ts'

describe.each(ENGINES)('webhook API on %s', (engine) => {
  let t: AppUnderTest
  let p: TestProject
  let hook: CreatedHook
  let base: string

  beforeAll(async () => {
    t = await startApp({ engine, logLevel: 'info' })
    p = await newProject(t, 'api')
    base = `/v1/projects/${p.slug}/webhooks`
    hook = await createHook(t, p.slug, { url: 'https://deploy.example.com/tresor' })
  })
  afterAll(() => t.close())

  it.each([
    ['ftp://example.com/x', 'must use http or https'],
    ['example.com/hook', 'must be an absolute http:// or https:// URL'],
    ['https://example.com/a#b', 'must not have a #fragment'],
  ])('refuses url %s with a problem naming the url field', async (url, message) => {
    const problem = expectProblem(
      await call(t, 'POST', base, { body: { url } }),
      400,
      'VALIDATION_FAILED',
    )
    expect(problem.errors).toEqual([{ field: 'url', message }])
  })

  it('refuses credentials in the URL without echoing them', async () => {
    const res = await call(t, 'POST', base, {
      body: { url: 'https://ci:pw-canary-83121@deploy.example.com/' },
    })
    expectProblem(res, 400, 'VALIDATION_FAILED')
    expect(res.body).not.toContain('pw-canary-83121')
    expect(t.logs.join('\n')).not.toContain('pw-canary-83121')
  })

  it('refuses unknown environments, naming each', async () => {
    const res = await call(t, 'POST', base, {
      body: { url: 'https://x.example.com/', environments: ['staging', 'nope', 'gone'] },
    })
    const problem = expectProblem(res, 400, 'VALIDATION_FAILED')
    expect(problem.errors).toEqual([
      { field: 'environments', message: "no environment 'nope'" },
      { field: 'environments', message: "no environment 'gone'" },
    ])
  })

  it('needs admin on the project for every webhook route', async () => {
    const writer = await mintToken(t, { scopes: ['read', 'write', 'deploy'] })
    const adminOfProject = await mintToken(t, { scopes: ['admin'], project: p.slug })
    const hooks = `${base}/${hook.id}`
    for (const [method, url] of [
      ['POST', base],
      ['GET', base],
      ['DELETE', hooks],
      ['GET', `${hooks}/deliveries`],
    ] as const) {
      const body = method === 'POST' ? { url: 'https://x.example.com/' } : undefined
      const res = await call(t, method, url, { token: writer.token, body })
      expectProblem(res, 403, 'FORBIDDEN')
    }
    const listed = await ok<{ webhooks: { id: string }[] }>(t, 'GET', base, {
      token: adminOfProject.token,
    })
    expect(listed.webhooks.map((w) => w.id)).toEqual([hook.id])
    const other = await newProject(t, 'other')
    const res = await call(t, 'GET', `/v1/projects/${other.slug}/webhooks`, {
      token: adminOfProject.token,
    })
    expectProblem(res, 404, 'NOT_FOUND')
  })

  it('hides webhooks of other projects and workspaces (404, never 403)', async () => {
    const other = await newProject(t, 'other')
    const cross = `/v1/projects/${other.slug}/webhooks/${hook.id}/deliveries`
    expectProblem(await call(t, 'GET', cross), 404, 'NOT_FOUND')
    expectProblem(
      await call(t, 'DELETE', `/v1/projects/${other.slug}/webhooks/${hook.id}`),
      404,
      'NOT_FOUND',
    )
    const ws = await addWorkspace(t)
    expectProblem(await call(t, 'GET', base, { token: ws.token }), 404, 'NOT_FOUND')
    const unknown = `${base}/whk_0000000000000000/deliveries`
    expectProblem(await call(t, 'GET', unknown), 404, 'NOT_FOUND')
    const retry = `${base}/${hook.id}/deliveries/dlv_0000000000000000/retry`
    expectProblem(await call(t, 'POST', retry), 404, 'NOT_FOUND')
    expectProblem(await call(t, 'GET', `${base}/not-an-id/deliveries`), 400, 'VALIDATION_FAILED')
  })

  it('answers on the /v1/repos alias and is described in the OpenAPI document', async () => {
    const listed = await ok<{ webhooks: { id: string }[] }>(
      t,
      'GET',
      `/v1/repos/${p.slug}/webhooks`,
    )
    expect(listed.webhooks.map((w) => w.id)).toEqual([hook.id])
    const doc = await ok<{ paths: Record<string, Record<string, unknown>> }>(
      t,
      'GET',
      '/v1/openapi.json',
    )
    expect(Object.keys(doc.paths['/v1/projects/{project}/webhooks'] ?? {}).sort()).toEqual([
      'get',
      'post',
    ])
    expect(
      doc.paths['/v1/projects/{project}/webhooks/{id}/deliveries/{deliveryId}/retry'],
    ).toHaveProperty('post')
  })

  it('deletes a webhook once (audited); a second delete is 404', async () => {
    const extra = await createHook(t, p.slug, { url: 'https://other.example.com/x?k=secretish' })
    await ok(t, 'DELETE', `${base}/${extra.id}`, { status: 204 })
    expectProblem(await call(t, 'DELETE', `${base}/${extra.id}`), 404, 'NOT_FOUND')
    const audit = await ok<{ events: { action: string; detail: unknown }[] }>(
      t,
      'GET',
      '/v1/audit?action=webhook.delete',
    )
    expect(audit.events.map((e) => e.detail)).toEqual([
      { webhookId: extra.id, origin: 'https://other.example.com' },
    ])
  })
})
