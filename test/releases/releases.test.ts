import { randomBytes } from 'node:crypto'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { ENGINES } from '../helpers/stores.ts'
import { call, ok, startApp, type AppUnderTest } from '../http/helpers/app.ts'
import { memberToken } from '../http/helpers/fixtures.ts'

const canary = `canary-${randomBytes(12).toString('hex')}`

interface Env {
  redeployRequired: boolean
  changedKeys: string[]
  currentRelease: number | null
}
interface Release {
  id: string
  number: number
  revision: number
  status: string
}

describe.each(ENGINES)('releases on %s', (engine) => {
  let t: AppUnderTest
  const P = '/v1/projects/shop'
  const E = `${P}/environments/staging`
  let deployToken: string
  let readToken: string

  beforeAll(async () => {
    t = await startApp({ engine, logLevel: 'info' })
    await ok(t, 'POST', '/v1/projects', { body: { slug: 'shop' }, status: 201 })
    const mk = async (scopes: string[]) =>
      (
        await ok<{ token: string }>(t, 'POST', '/v1/tokens', {
          body: { name: scopes.join('+'), scopes },
          status: 201,
        })
      ).token
    deployToken = await mk(['read', 'deploy'])
    readToken = await mk(['read'])
  })
  afterAll(() => t.close())

  it('a write sets redeploy-required with the changed keys; a release clears it', async () => {
    await ok(t, 'PATCH', `${E}/vars`, {
      body: {
        env: { HOST: 'shop.example.com', API_URL: 'https://${{HOST}}/api', DB_PASSWORD: canary },
        secrets: ['DB_PASSWORD'],
      },
    })
    let env = await ok<Env>(t, 'GET', E)
    expect(env.redeployRequired).toBe(true)
    expect(env.changedKeys.sort()).toEqual(['API_URL', 'DB_PASSWORD', 'HOST'])
    const rel = await ok<Release>(t, 'POST', `${E}/releases`, { status: 201 })
    expect(rel).toMatchObject({ number: 1, revision: 1, status: 'active' })
    env = await ok<Env>(t, 'GET', E)
    expect(env).toMatchObject({ redeployRequired: false, changedKeys: [], currentRelease: 1 })
    await ok(t, 'PUT', `${E}/vars`, {
      body: { key: 'HOST', value: 'shop2.example.com', kind: 'config' },
    })
    env = await ok<Env>(t, 'GET', E)
    expect(env).toMatchObject({ redeployRequired: true, changedKeys: ['HOST'], currentRelease: 1 })
  })

  it('the resolved environment is for deploy tokens only, fully resolved, system variables included', async () => {
    const rel = await ok<Release>(t, 'POST', `${E}/releases`, { status: 201 })
    const res = await call(t, 'GET', `${E}/releases/${rel.number}/env`, { token: readToken })
    expect(res.statusCode).toBe(403)
    expect(res.body).not.toContain(canary)
    const body = await ok<{ env: Record<string, string> }>(
      t,
      'GET',
      `${E}/releases/${rel.id}/env`,
      { token: deployToken },
    )
    expect(body.env).toMatchObject({
      HOST: 'shop2.example.com',
      API_URL: 'https://shop2.example.com/api',
      DB_PASSWORD: canary,
      PORT: '3000',
      APP_ENV: 'staging',
      TRESOR_PROJECT_SLUG: 'shop',
      TRESOR_ENV_SLUG: 'staging',
    })
    expect(body.env['TRESOR_DEPLOY_ID']).toMatch(/^[0-9a-f-]{36}$/)
    const shell = await ok<string>(t, 'GET', `${E}/releases/latest/env?format=shell`, {
      token: deployToken,
    })
    expect(shell).toContain(`export DB_PASSWORD='${canary}'\n`)
    const list = await ok<{ releases: Release[] }>(t, 'GET', `${E}/releases`)
    expect(list.releases.map((r) => [r.number, r.status])).toEqual([
      [2, 'active'],
      [1, 'superseded'],
    ])
    expect(JSON.stringify(list)).not.toContain(canary)
  })

  it('fails naming every missing reference, cycle and required key, and records nothing', async () => {
    await ok(t, 'PATCH', P, { body: { requiredKeys: ['SENTRY_DSN'] } })
    await ok(t, 'PATCH', `${E}/vars`, {
      body: { env: { A: '${{B}}', B: '${{A}}', C: '${{project.NOPE}}' } },
    })
    const res = await call(t, 'POST', `${E}/releases`)
    expect(res.statusCode).toBe(422)
    const problem = res.json<{ code: string; errors: Array<{ key: string; message: string }> }>()
    expect(problem.code).toBe('REFERENCE_ERROR')
    const byKey = Object.fromEntries(problem.errors.map((e) => [e.key, e.message]))
    expect(byKey['A']).toMatch(/cycle: A → B → A/)
    expect(byKey['C']).toBe('references ${{project.NOPE}}, which is not set in the project')
    expect(byKey['SENTRY_DSN']).toBe('SENTRY_DSN is required but not set in staging')
    expect(res.body).not.toContain(canary)
    const list = await ok<{ releases: Release[] }>(t, 'GET', `${E}/releases`)
    expect(list.releases).toHaveLength(2)
    await ok(t, 'DELETE', `${E}/vars`, { body: { keys: ['A', 'B', 'C'] } })
    await ok(t, 'PATCH', P, { body: { requiredKeys: [] } })
  })

  it('rollback makes a new revision equal to the release and releases it', async () => {
    await ok(t, 'PUT', `${E}/vars`, {
      body: { key: 'DB_PASSWORD', value: 'rotated-value-0000000' },
    })
    const rel = await ok<Release>(t, 'POST', `${E}/rollback`, { body: { release: 1 }, status: 201 })
    expect(rel.number).toBe(3)
    const revealed = await ok<{ value: string }>(t, 'POST', `${E}/vars/DB_PASSWORD/reveal`)
    expect(revealed.value).toBe(canary)
    const env = await ok<{ env: Record<string, string> }>(t, 'GET', `${E}/releases/latest/env`, {
      token: deployToken,
    })
    expect(env.env['HOST']).toBe('shop.example.com')
    expect(env.env['DB_PASSWORD']).toBe(canary)
  })

  it('auto-deploy releases every change', async () => {
    await ok(t, 'PATCH', `${P}/environments/development`, { body: { autoDeploy: true } })
    await ok(t, 'PUT', `${P}/environments/development/vars`, {
      body: { key: 'LOG', value: 'debug', kind: 'config' },
    })
    const env = await ok<Env>(t, 'GET', `${P}/environments/development`)
    expect(env).toMatchObject({ redeployRequired: false, currentRelease: 1 })
  })

  it('previews clone the parent with overrides, stay isolated, and expire', async () => {
    const preview = await ok<{ slug: string; parentId: string; expiresAt: string }>(
      t,
      'POST',
      `${P}/previews`,
      {
        body: {
          slug: 'pr-42',
          parent: 'staging',
          overrides: { CALLBACK: '${PREVIEW_URL}/cb' },
          url: 'https://pr-42.shop.test',
          ttl: '1h',
        },
        status: 201,
      },
    )
    expect(preview.slug).toBe('pr-42')
    const vars = await ok<{ vars: Array<{ key: string; value?: string; preview?: string }> }>(
      t,
      'GET',
      `${P}/environments/pr-42/vars`,
    )
    const byKey = Object.fromEntries(vars.vars.map((v) => [v.key, v.value ?? v.preview]))
    expect(byKey).toMatchObject({
      HOST: 'shop.example.com',
      CALLBACK: 'https://pr-42.shop.test/cb',
      PREVIEW_URL: 'https://pr-42.shop.test',
      APP_ENV: 'pr-42',
    })
    await ok(t, 'PUT', `${P}/environments/pr-42/vars`, {
      body: { key: 'HOST', value: 'pr.example', kind: 'config' },
    })
    const parent = await ok<{ vars: Array<{ key: string; value?: string }> }>(t, 'GET', `${E}/vars`)
    expect(parent.vars.find((v) => v.key === 'HOST')?.value).toBe('shop.example.com')
    expect(parent.vars.some((v) => v.key === 'PREVIEW_URL')).toBe(false)
    expect(await t.sweepExpired()).toBe(0)
    t.clock.offsetMs = 2 * 3_600_000
    expect(await t.sweepExpired()).toBe(1)
    t.clock.offsetMs = 0
    expect((await call(t, 'GET', `${P}/environments/pr-42`)).statusCode).toBe(404)
    const audit = await ok<{ events: Array<{ action: string; actorKind: string }> }>(
      t,
      'GET',
      '/v1/audit?action=preview.expired',
    )
    expect(audit.events).toHaveLength(1)
    expect(audit.events[0]?.actorKind).toBe('system')
  })

  it('never logs a secret value', () => {
    expect(t.logs.join('\n')).not.toContain(canary)
  })
})

describe('a deploy-only token', () => {
  it('reads the release environment it deploys, and nothing else', async () => {
    const t = await startApp({ logLevel: 'silent' })
    try {
      await ok(t, 'POST', '/v1/projects', { body: { slug: 'ci' }, status: 201 })
      const E = '/v1/projects/ci/environments/production'
      await ok(t, 'PUT', `${E}/vars`, { body: { key: 'TOKEN_X', value: canary } })
      const deployer = (
        await ok<{ token: string }>(t, 'POST', '/v1/tokens', {
          body: { name: 'ci', scopes: ['deploy'] },
          status: 201,
        })
      ).token
      await ok(t, 'POST', `${E}/releases`, { token: deployer, status: 201 })
      const env = await ok<{ env: Record<string, string> }>(t, 'GET', `${E}/releases/latest/env`, {
        token: deployer,
      })
      expect(env.env['TOKEN_X']).toBe(canary)
      expect((await call(t, 'GET', `${E}/vars`, { token: deployer })).statusCode).toBe(403)
    } finally {
      await t.close()
    }
  })

  it("a developer deploys production but reads its release's values only with the reveal grant", async () => {
    const t = await startApp({ logLevel: 'silent' })
    try {
      await ok(t, 'POST', '/v1/projects', { body: { slug: 'dev-deploys' }, status: 201 })
      const E = (env: string) => `/v1/projects/dev-deploys/environments/${env}`
      for (const env of ['staging', 'production'])
        await ok(t, 'PUT', `${E(env)}/vars`, {
          body: { key: 'TOKEN_X', value: `${canary}-${env}` },
        })
      const dev = await ok<{ id: string }>(t, 'POST', '/v1/members', {
        body: { email: 'deployer@example.com', role: 'developer' },
        status: 201,
      })
      const { token } = await memberToken(t, dev.id, ['read', 'deploy'])
      for (const env of ['staging', 'production'])
        await ok(t, 'POST', `${E(env)}/releases`, { token, status: 201 })
      const staging = await ok<{ env: Record<string, string> }>(
        t,
        'GET',
        `${E('staging')}/releases/latest/env`,
        { token },
      )
      expect(staging.env['TOKEN_X']).toBe(`${canary}-staging`)
      const refused = await call(t, 'GET', `${E('production')}/releases/latest/env`, { token })
      expect(refused.statusCode).toBe(403)
      const problem = refused.json<{ code: string; detail: string }>()
      expect(problem.code).toBe('FORBIDDEN')
      expect(problem.detail).toContain('revealProduction')
      expect(refused.body).not.toContain(canary)
      await ok(t, 'PATCH', `/v1/members/${dev.id}`, { body: { revealProduction: true } })
      const granted = await ok<{ env: Record<string, string> }>(
        t,
        'GET',
        `${E('production')}/releases/latest/env`,
        { token },
      )
      expect(granted.env['TOKEN_X']).toBe(`${canary}-production`)
    } finally {
      await t.close()
    }
  })
})

describe('a rollback that cannot be released', () => {
  it('changes nothing and names the problem', async () => {
    const t = await startApp({ logLevel: 'silent' })
    try {
      await ok(t, 'POST', '/v1/projects', { body: { slug: 'rb' }, status: 201 })
      const E = '/v1/projects/rb/environments/staging'
      await ok(t, 'PUT', `${E}/vars`, { body: { key: 'A', value: '1', kind: 'config' } })
      await ok(t, 'POST', `${E}/releases`, { status: 201 })
      await ok(t, 'PUT', `${E}/vars`, { body: { key: 'B', value: '2', kind: 'config' } })
      await ok(t, 'POST', `${E}/releases`, { status: 201 })
      await ok(t, 'PATCH', '/v1/projects/rb', { body: { requiredKeys: ['B'] } })
      const res = await call(t, 'POST', `${E}/rollback`, { body: { release: 1 } })
      expect(res.statusCode).toBe(422)
      expect(res.json<{ errors: Array<{ key: string }> }>().errors).toEqual([
        { key: 'B', message: 'B is required but not set in staging' },
      ])
      const env = await ok<{ revision: number; currentRelease: number }>(t, 'GET', E)
      expect(env).toMatchObject({ revision: 2, currentRelease: 2 })
    } finally {
      await t.close()
    }
  })
})
