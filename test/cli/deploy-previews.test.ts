import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import {
  cliFor,
  ensureBuilt,
  removeTempDirs,
  startServer,
  tempDir,
  type TestServer,
} from './helpers.ts'
import { api } from './run-helpers.ts'

const SECRET = 'canary-promote-Secret-01234567'

let server: TestServer
let cli: ReturnType<typeof cliFor>
const p = ['-p', 'shop']
const P = '/v1/projects/shop'

interface Listing {
  vars: Array<{ key: string; kind: string; value?: string }>
}
const values = async (env: string) =>
  Object.fromEntries(
    (JSON.parse((await cli.tresor(['vars', ...p, '-e', env, '--json'])).stdout) as Listing).vars
      .filter((v) => v.kind !== 'system' || v.key === 'PREVIEW_URL')
      .map((v) => [v.key, v.value ?? `(${v.kind})`]),
  )

beforeAll(async () => {
  ensureBuilt()
  server = await startServer()
  cli = cliFor(server, tempDir())
  await api(server.url, 'POST', '/v1/projects', { slug: 'shop' })
  await api(server.url, 'PATCH', `${P}/environments/staging/vars`, {
    env: { HOST: 'staging.shop.test', LOG_LEVEL: 'debug', API_TOKEN: SECRET },
    secrets: ['API_TOKEN'],
  })
})
afterAll(async () => {
  await server.stop()
  removeTempDirs()
})

describe('previews', () => {
  it('creates a preview from a parent with overrides and PREVIEW_URL, isolated from it', async () => {
    const made = await cli.tresor([
      ...['previews:create', 'pr-42', ...p, '--parent', 'staging', '--ttl', '7d'],
      ...[
        '--preview-url',
        'https://pr-42.shop.test',
        'CALLBACK=${PREVIEW_URL}/cb',
        'LOG_LEVEL=info',
      ],
    ])
    expect(made.code).toBe(0)
    expect(made.stderr).toMatch(
      /^Created preview shop\/pr-42 from staging, expires \d{4}-\d\d-\d\dT[\d:.]+Z\.\n$/,
    )
    expect(await values('pr-42')).toEqual({
      HOST: 'staging.shop.test',
      LOG_LEVEL: 'info',
      API_TOKEN: '(secret)',
      CALLBACK: 'https://pr-42.shop.test/cb',
      PREVIEW_URL: 'https://pr-42.shop.test',
    })
    await cli.tresor(['config:set', 'HOST=pr-42.shop.test', ...p, '-e', 'pr-42'])
    expect((await values('staging'))['HOST']).toBe('staging.shop.test')
    const reveal = await cli.tresor(['secrets:get', 'API_TOKEN', ...p, '-e', 'pr-42'])
    expect(reveal.stdout).toBe(SECRET)
  })

  it('lists previews with their parent, and deletes only previews', async () => {
    const list = await cli.tresor(['previews', ...p])
    expect(list.stdout).toMatch(/^pr-42\tstaging\t\d{4}-[^\t]+\t-\tredeploy required\n$/)
    const refused = await cli.tresor(['previews:delete', 'staging', ...p, '--yes'])
    expect([refused.code, refused.stderr.split('\n')[0]]).toEqual([
      2,
      'error: shop/staging is not a preview; previews:delete removes previews only',
    ])
    const unconfirmed = await cli.tresor(['previews:delete', 'pr-42', ...p])
    expect(unconfirmed.code).toBe(2)
    const gone = await cli.tresor(['previews:delete', 'pr-42', ...p, '--yes'])
    expect([gone.code, gone.stderr]).toEqual([0, 'Deleted preview shop/pr-42.\n'])
    const after = await cli.tresor(['previews', ...p, '--json'])
    expect(JSON.parse(after.stdout)).toEqual({ environments: [] })
    expect(after.stderr).toBe('No previews in shop.\n')
  })
})

describe('promote', () => {
  it('copies config keys in one revision, leaving the rest of the target alone', async () => {
    await cli.tresor(['config:set', 'HOST=shop.test', 'KEEP=me', ...p, '-e', 'production'])
    const out = await cli.tresor([
      ...['promote', 'LOG_LEVEL', ...p, '--from', 'staging', '--to', 'production', '--json'],
    ])
    expect(JSON.parse(out.stdout)).toMatchObject({
      from: 'staging',
      to: 'production',
      keys: ['LOG_LEVEL'],
      secrets: [],
      revision: 2,
      redeployRequired: true,
    })
    expect(await values('production')).toEqual({
      HOST: 'shop.test',
      KEEP: 'me',
      LOG_LEVEL: 'debug',
    })
  })

  it('copies a secret only with --include-secrets, through an audited reveal', async () => {
    const refused = await cli.tresor([
      'promote',
      'API_TOKEN',
      ...p,
      '--from',
      'staging',
      '--to',
      'production',
    ])
    expect([refused.code, refused.stderr.split('\n')[0]]).toEqual([
      2,
      'error: API_TOKEN is a secret: pass --include-secrets to copy it (needs secrets:reveal; audited)',
    ])
    const missing = await cli.tresor([
      'promote',
      'NOPE',
      'PORT',
      ...p,
      '--from',
      'staging',
      '--to',
      'production',
    ])
    expect(missing.stderr).toMatch(
      /^NOT_FOUND: nothing was promoted: 2 key\(s\) cannot be copied\n {2}NOPE: not set in staging\n {2}PORT: a system variable: each environment has its own\n$/,
    )
    const copied = await cli.tresor([
      ...['promote', 'API_TOKEN', ...p, '--from', 'staging', '--to', 'production'],
      '--include-secrets',
    ])
    expect([copied.code, copied.stdout]).toEqual([0, ''])
    expect(copied.stderr).toBe(
      'Promoted API_TOKEN from shop/staging to shop/production: revision 3; redeploy required to take effect.\n',
    )
    const reveal = await cli.tresor(['secrets:get', 'API_TOKEN', ...p, '-e', 'production'])
    expect(reveal.stdout).toBe(SECRET)
    const audit = JSON.parse((await cli.tresor(['audit', '--json', '--limit', '5'])).stdout) as {
      events: Array<{ action: string; keys?: string[] }>
    }
    expect(audit.events.map((e) => e.action)).toContain('vars.reveal')
    for (const run of [refused, missing, copied]) expect(run.stderr).not.toContain(SECRET)
  })
})
