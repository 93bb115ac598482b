// Add-ons given by the caller (a platform injecting REDIS_URL): attached, listed as system
// variables, refused to users, carried by releases, detached; on every store engine.
import { expect, it } from 'vitest'
import { call, ok } from '../http/helpers/app.ts'
import { describeApp, mintToken, newProject, TEXT } from '../http/helpers/fixtures.ts'

const REDIS = 'redis://:s3cr3t-redis-password-canary@cache.internal:6379/0'

type Listed = { vars: Array<Record<string, unknown>>; revision: number; redeployRequired: boolean }

describeApp('add-ons attached with their values', (t) => {
  it('attach → listed as system variables managed by the add-on, masked, never the value', async () => {
    const p = await newProject(t())
    const base = `/v1/projects/${p.slug}/environments/staging`
    await ok(t(), 'PUT', `${base}/vars`, {
      body: { key: 'APP_NAME', value: 'shop', kind: 'config' },
    })
    const res = await ok<Record<string, unknown>>(t(), 'PUT', `${base}/addons/redis`, {
      body: { vars: { REDIS_URL: REDIS } },
    })
    expect(res).toMatchObject({
      name: 'redis',
      mode: 'external',
      keys: ['REDIS_URL'],
      changedKeys: ['REDIS_URL'],
      revision: 2,
      redeployRequired: true,
    })
    const list = await ok<Listed>(t(), 'GET', `${base}/vars`)
    const redis = list.vars.find((v) => v.key === 'REDIS_URL')
    expect(redis).toEqual({
      key: 'REDIS_URL',
      kind: 'system',
      preview: 'redis***79/0',
      system: true,
      addon: 'redis',
    })
    expect(list.vars.find((v) => v.key === 'APP_NAME')).toMatchObject({ value: 'shop' })
    const addons = await ok<{ addons: unknown[] }>(t(), 'GET', `${base}/addons`)
    expect(addons.addons).toEqual([
      expect.objectContaining({ name: 'redis', mode: 'external', keys: ['REDIS_URL'] }),
    ])
    for (const body of [JSON.stringify(list), JSON.stringify(addons), JSON.stringify(res)])
      expect(body).not.toContain('s3cr3t-redis-password-canary')
    // The user document never holds it.
    const doc = await ok<string>(t(), 'GET', `${base}/document`)
    expect(doc).toBe('APP_NAME=shop\n')
  })

  it('user writes to an add-on variable are refused naming the add-on, and change nothing', async () => {
    const p = await newProject(t())
    const base = `/v1/projects/${p.slug}/environments/staging`
    await ok(t(), 'PUT', `${base}/addons/redis`, { body: { vars: { REDIS_URL: REDIS } } })
    const before = await ok<Listed>(t(), 'GET', `${base}/vars`)
    const attempts = [
      call(t(), 'PUT', `${base}/vars`, { body: { key: 'REDIS_URL', value: 'redis://evil' } }),
      call(t(), 'PATCH', `${base}/vars`, { body: { env: { A: '1', REDIS_URL: 'redis://evil' } } }),
      call(t(), 'PATCH', `${base}/vars`, {
        body: { env: { REDIS_URL: 'redis://evil' }, replace: true },
      }),
      call(t(), 'DELETE', `${base}/vars/REDIS_URL`),
      call(t(), 'DELETE', `${base}/vars`, { body: { keys: ['REDIS_URL'] } }),
      call(t(), 'PUT', `${base}/document`, {
        body: 'A=1\nREDIS_URL=redis://evil\n',
        headers: TEXT,
      }),
      call(t(), 'PUT', `${base}/document?replace=true`, {
        body: 'REDIS_URL=redis://evil\n',
        headers: TEXT,
      }),
    ]
    for (const res of await Promise.all(attempts)) {
      expect(res.statusCode, res.body).toBe(422)
      const problem = res.json<{ code: string; detail: string; errors: { key: string }[] }>()
      expect(problem.code).toBe('RESERVED_VARIABLE')
      expect(problem.detail).toContain('REDIS_URL is managed by add-on redis')
      expect(problem.errors.map((e) => e.key)).toEqual(['REDIS_URL'])
    }
    expect(await ok<Listed>(t(), 'GET', `${base}/vars`)).toEqual(before)
  })

  it('survives replace: true (PATCH and document upload) and is part of the release', async () => {
    const p = await newProject(t())
    const base = `/v1/projects/${p.slug}/environments/production`
    await ok(t(), 'PUT', `${base}/addons/redis`, { body: { vars: { REDIS_URL: REDIS } } })
    await ok(t(), 'PATCH', `${base}/vars`, {
      body: { env: { CACHE: '${{REDIS_URL}}' }, replace: true },
    })
    await ok(t(), 'PUT', `${base}/document?replace=true`, {
      body: 'CACHE=${{REDIS_URL}}\nB=2\n',
      headers: TEXT,
    })
    const list = await ok<Listed>(t(), 'GET', `${base}/vars`)
    expect(list.vars.map((v) => v.key)).toEqual(expect.arrayContaining(['CACHE', 'B', 'REDIS_URL']))
    const rel = await ok<{ id: string }>(t(), 'POST', `${base}/releases`, { status: 201 })
    const { token: deploy } = await mintToken(t(), { scopes: ['deploy'], project: p.id })
    const env = await ok<{ env: Record<string, string> }>(
      t(),
      'GET',
      `${base}/releases/${rel.id}/env`,
      { token: deploy },
    )
    expect(env.env['REDIS_URL']).toBe(REDIS)
    expect(env.env['CACHE']).toBe(REDIS)
    expect(env.env['B']).toBe('2')
    // The release row's clear system variables never hold an add-on value.
    const rows = await t().sql(`select system_vars from releases where id = '${rel.id}'`)
    expect(JSON.stringify(rows)).not.toContain('s3cr3t-redis-password-canary')
  })

  it('PUT new values rotates (redeploy required, audited by name), detach removes', async () => {
    const p = await newProject(t())
    const base = `/v1/projects/${p.slug}/environments/staging`
    await ok(t(), 'PUT', `${base}/addons/redis`, { body: { vars: { REDIS_URL: REDIS } } })
    await ok(t(), 'POST', `${base}/releases`, { status: 201 })
    expect((await ok<Listed>(t(), 'GET', `${base}/vars`)).redeployRequired).toBe(false)
    const rotated = await ok<Record<string, unknown>>(t(), 'PUT', `${base}/addons/redis`, {
      body: { vars: { REDIS_URL: `${REDIS}-2` } },
    })
    expect(rotated).toMatchObject({ changedKeys: ['REDIS_URL'], redeployRequired: true })
    const detached = await ok<Record<string, unknown>>(t(), 'DELETE', `${base}/addons/redis`)
    expect(detached).toMatchObject({ changedKeys: ['REDIS_URL'], droppedDatabase: false })
    const list = await ok<Listed>(t(), 'GET', `${base}/vars`)
    expect(list.vars.some((v) => v.key === 'REDIS_URL')).toBe(false)
    // Now a plain user variable again.
    await ok(t(), 'PUT', `${base}/vars`, { body: { key: 'REDIS_URL', value: 'redis://mine' } })
    const audit = await ok<{ events: Array<{ action: string; keys: string[] }> }>(
      t(),
      'GET',
      `/v1/audit?project=${p.id}&limit=50`,
    )
    const actions = audit.events.map((e) => e.action)
    expect(actions).toEqual(
      expect.arrayContaining(['addon.attach', 'addon.update', 'addon.detach']),
    )
    expect(JSON.stringify(audit)).not.toContain('s3cr3t-redis-password-canary')
  })

  it('refuses bad input precisely and changes nothing', async () => {
    const p = await newProject(t())
    const base = `/v1/projects/${p.slug}/environments/staging`
    await ok(t(), 'PUT', `${base}/vars`, {
      body: { key: 'DATABASE_URL', value: 'postgres://mine' },
    })
    const cases: Array<[string, unknown, number, string]> = [
      [
        'postgres',
        { vars: { DATABASE_HOST: 'x' } },
        400,
        'DATABASE_HOST is not a variable of add-on postgres',
      ],
      [
        'postgres',
        { vars: { DATABASE_URL: 'postgres://x' } },
        409,
        'DATABASE_URL is set in this environment',
      ],
      ['redis', { vars: {} }, 400, 'invalid variables for add-on redis'],
      ['redis', { vars: { PORT: '1' } }, 400, 'invalid variables for add-on redis'],
      ['Bad_Name', { vars: { X: '1' } }, 400, 'invalid add-on name'],
      ['postgres', { provision: true }, 400, 'not enabled on this server'],
    ]
    for (const [name, body, status, text] of cases) {
      const res = await call(t(), 'PUT', `${base}/addons/${name}`, { body })
      expect(res.statusCode, res.body).toBe(status)
      expect(res.body).toContain(text)
    }
    expect((await ok<{ addons: unknown[] }>(t(), 'GET', `${base}/addons`)).addons).toEqual([])
    const missing = await call(t(), 'DELETE', `${base}/addons/redis`)
    expect(missing.statusCode).toBe(404)
  })

  it('attaching needs admin: a write token is refused', async () => {
    const p = await newProject(t())
    const { token: write } = await mintToken(t(), { scopes: ['write'], project: p.id })
    const res = await call(t(), 'PUT', `/v1/projects/${p.slug}/environments/staging/addons/redis`, {
      token: write,
      body: { vars: { REDIS_URL: REDIS } },
    })
    expect(res.statusCode).toBe(403)
    const read = await call(t(), 'GET', `/v1/projects/${p.slug}/environments/staging/addons`, {
      token: write,
    })
    expect(read.statusCode).toBe(200)
  })
})
