// Project shared variables (`/v1/projects/{p}/vars`, its document, revisions and diff) and the
// audited reveal, on every engine under test.
import { beforeAll, expect, it } from 'vitest'
import { call, ok } from './helpers/app.ts'
import {
  describeApp,
  expectProblem,
  mintToken,
  newProject,
  TEXT,
  type TestProject,
} from './helpers/fixtures.ts'

interface Env {
  slug: string
  revision: number
  redeployRequired: boolean
  changedKeys: string[]
}

describeApp('shared variables and reveal', (t) => {
  let p: TestProject
  let shared: string
  beforeAll(async () => {
    p = await newProject(t())
    shared = `/v1/projects/${p.slug}/vars`
  })

  it('sets, lists (no system variables), merges and deletes shared variables in their own revisions', async () => {
    expect(
      await ok(t(), 'PUT', shared, { body: { key: 'SENTRY_DSN', value: 'https://k@s.io/1' } }),
    ).toEqual({
      key: 'SENTRY_DSN',
      kind: 'secret',
      preview: 'https***io/1',
      revision: 1,
      warnings: [],
      redeployRequired: false,
    })
    await ok(t(), 'PATCH', shared, { body: { env: { REGION: 'eu', OLD: 'x' } } })
    expect(await ok(t(), 'DELETE', `${shared}/OLD`)).toMatchObject({
      removed: ['OLD'],
      revision: 3,
    })
    const list = await ok<{ vars: Record<string, unknown>[]; count: number; revision: number }>(
      t(),
      'GET',
      shared,
    )
    expect(list.vars.map(({ updatedAt: _a, updatedBy: _b, ...v }) => v)).toEqual([
      { key: 'SENTRY_DSN', kind: 'secret', preview: 'https***io/1' },
      { key: 'REGION', kind: 'config', value: 'eu' },
    ])
    expect({ count: list.count, revision: list.revision }).toEqual({ count: 2, revision: 3 })
    // A reserved name is refused on the shared document too.
    const port = await call(t(), 'PUT', shared, { body: { key: 'PORT', value: '1' } })
    expect(expectProblem(port, 422, 'RESERVED_VARIABLE').detail).toBe(
      'PORT is a system variable and cannot be changed: it is set by Tresor at each release',
    )
  })

  it('marks every environment of the project redeploy-required with project.KEY names', async () => {
    const envs = await ok<{ environments: Env[] }>(t(), 'GET', `/v1/projects/${p.id}/environments`)
    expect(
      envs.environments.map((e) => [e.slug, e.revision, e.redeployRequired, e.changedKeys]),
    ).toEqual([
      ['development', 0, true, ['project.SENTRY_DSN', 'project.REGION', 'project.OLD']],
      ['staging', 0, true, ['project.SENTRY_DSN', 'project.REGION', 'project.OLD']],
      ['production', 0, true, ['project.SENTRY_DSN', 'project.REGION', 'project.OLD']],
    ])
  })

  it('serves the shared document masked, its revisions and a masked diff', async () => {
    const res = await call(t(), 'GET', `/v1/repos/${p.slug}/document`)
    expect({ text: res.body, etag: res.headers['etag'] }).toEqual({
      text: 'SENTRY_DSN=https***io/1 # secret\nREGION=eu\n',
      etag: '"3"',
    })
    const put = await call(t(), 'PUT', `/v1/projects/${p.slug}/document`, {
      body: `${res.body}# added\nTIMEOUT=30\n`,
      headers: TEXT,
    })
    expect(put.json()).toMatchObject({ revision: 4 })
    const revisions = await ok<{ revisions: { number: number; changedKeys: string[] }[] }>(
      t(),
      'GET',
      `/v1/projects/${p.slug}/revisions`,
    )
    expect(revisions.revisions.map((r) => [r.number, r.changedKeys])).toEqual([
      [4, ['TIMEOUT']],
      [3, ['OLD']],
      [2, ['REGION', 'OLD']],
      [1, ['SENTRY_DSN']],
    ])
    expect(await ok(t(), 'GET', `/v1/projects/${p.slug}/diff?from=1&to=4`)).toEqual({
      from: 1,
      to: 4,
      added: [
        { key: 'REGION', kind: 'config', value: 'eu' },
        { key: 'TIMEOUT', kind: 'config', value: '30' },
      ],
      removed: [],
      changed: [],
    })
    const reveal = await ok(t(), 'POST', `${shared}/SENTRY_DSN/reveal`)
    expect(reveal).toEqual({ key: 'SENTRY_DSN', value: 'https://k@s.io/1' })
  })

  it('reveals a secret only with secrets:reveal, and audits each reveal with actor, key and address', async () => {
    const vars = `/v1/projects/${p.slug}/environments/production/vars`
    await ok(t(), 'PUT', vars, { body: { key: 'STRIPE_KEY', value: 'sk_live_0123456789' } })
    await ok(t(), 'PUT', vars, { body: { key: 'MODE', value: 'live', kind: 'config' } })
    const reader = await mintToken(t(), { scopes: ['read'] })
    const denied = await call(t(), 'POST', `${vars}/STRIPE_KEY/reveal`, { token: reader.token })
    expect(expectProblem(denied, 403, 'FORBIDDEN').detail).toBe(
      'This token is not allowed to secrets:reveal here',
    )
    // Config values are readable by anyone who can read the environment.
    expect(await ok(t(), 'POST', `${vars}/MODE/reveal`, { token: reader.token })).toEqual({
      key: 'MODE',
      value: 'live',
    })
    const missing = await call(t(), 'POST', `${vars}/NOPE/reveal`)
    expect(expectProblem(missing, 404, 'NOT_FOUND').errors).toEqual([
      { key: 'NOPE', message: 'not set in this environment' },
    ])
    const res = await call(t(), 'POST', `${vars}/STRIPE_KEY/reveal`)
    expect(res.json()).toEqual({ key: 'STRIPE_KEY', value: 'sk_live_0123456789' })
    const audit = await ok<{ events: Record<string, unknown>[] }>(
      t(),
      'GET',
      `/v1/audit?project=${p.slug}&env=production&action=vars.reveal`,
    )
    const who = await ok<{ memberId: string }>(t(), 'GET', '/v1/whoami')
    expect(audit.events.map((e) => [e['actorId'], e['keys'], e['ip'], e['outcome']])).toEqual([
      [who.memberId, ['STRIPE_KEY'], '127.0.0.1', 'success'],
      // A personal token acts as its member.
      [who.memberId, ['MODE'], '127.0.0.1', 'success'],
      // The refused attempt is on record too, with why; a missing key is not.
      [who.memberId, ['STRIPE_KEY'], '127.0.0.1', 'denied'],
    ])
    expect(audit.events[2]).toMatchObject({
      requestId: denied.headers['x-request-id'],
      detail: { reason: 'not allowed to reveal secrets here', kind: 'secret' },
    })
    expect(audit.events[0]).toMatchObject({
      requestId: res.headers['x-request-id'],
      detail: { kind: 'secret', revision: 2 },
    })
  })
})
