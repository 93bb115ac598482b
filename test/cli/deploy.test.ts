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

const V1 = 'canary-deploy-First-0123456789'
const V2 = 'canary-deploy-Second-987654321'

let server: TestServer
let cli: ReturnType<typeof cliFor>
const staging = ['-p', 'shop', '-e', 'staging']
const P = '/v1/projects/shop'

interface StatusJson {
  environments: Array<{ env: string; state: string; changedKeys: string[]; missingKeys: string[] }>
  requiredKeys: Record<string, Record<string, string>>
}

beforeAll(async () => {
  ensureBuilt()
  server = await startServer()
  cli = cliFor(server, tempDir())
  await api(server.url, 'POST', '/v1/projects', { slug: 'shop' })
})
afterAll(async () => {
  await server.stop()
  removeTempDirs()
})

async function statusOf(env: string) {
  const out = await cli.tresor(['status', '-p', 'shop', '--json'])
  const found = (JSON.parse(out.stdout) as StatusJson).environments.find((e) => e.env === env)
  return found && { ...found, changedKeys: [...found.changedKeys].sort() }
}

describe('deploy', () => {
  it('a write marks the environment drifted; deploy prints the release number and clears it', async () => {
    await cli.tresor([
      'config:set',
      'HOST=shop.example.com',
      'API_URL=https://${{HOST}}',
      ...staging,
    ])
    await cli.tresor(['secrets:set', 'DB_PASSWORD', ...staging], { input: V1 })
    expect(await statusOf('staging')).toMatchObject({
      state: 'never deployed',
      changedKeys: ['API_URL', 'DB_PASSWORD', 'HOST'],
    })
    const first = await cli.tresor(['deploy', ...staging, '--message', 'first'])
    expect([first.code, first.stdout, first.stderr]).toEqual([
      0,
      '1\n',
      'Released shop/staging: release 1 (revision 2).\n',
    ])
    expect(await statusOf('staging')).toMatchObject({ state: 'in sync', changedKeys: [] })
    await cli.tresor(['secrets:set', 'DB_PASSWORD', ...staging], { input: V2 })
    expect(await statusOf('staging')).toMatchObject({
      state: 'drifted',
      changedKeys: ['DB_PASSWORD'],
    })
    const second = await cli.tresor(['deploy', ...staging, '--json'])
    expect(JSON.parse(second.stdout)).toMatchObject({ number: 2, revision: 3, status: 'active' })
    expect(await statusOf('staging')).toMatchObject({ state: 'in sync' })
  })

  it('fails naming each missing reference, cycle and required key, with no value, and records nothing', async () => {
    await api(server.url, 'PATCH', P, { requiredKeys: ['SENTRY_DSN'] })
    await api(server.url, 'PATCH', `${P}/environments/staging`, { requiredKeys: ['STRIPE_KEY'] })
    await cli.tresor([
      'config:set',
      'A=${{B}}',
      'B=${{A}}',
      'C=${{project.NOPE}}',
      'D=${{GONE}}',
      ...staging,
    ])
    const run = await cli.tresor(['deploy', ...staging])
    expect([run.code, run.stdout]).toEqual([1, ''])
    const lines = run.stderr.split('\n')
    const count =
      /^REFERENCE_ERROR: the release cannot be made: (\d+) problem\(s\) \(request req_\w+\)$/.exec(
        lines[0] ?? '',
      )?.[1]
    const details = lines.slice(1, -1)
    expect(details).toHaveLength(Number(count))
    expect(details.map((l) => l.split(':')[0]?.trim()).sort()).toEqual([
      'A',
      'C',
      'D',
      'SENTRY_DSN',
      'STRIPE_KEY',
    ])
    expect(lines).toContain('  A: is part of a reference cycle: A → B → A')
    expect(lines).toContain('  D: references ${{GONE}}, which is not set')
    expect(lines).toContain('  SENTRY_DSN: SENTRY_DSN is required but not set in staging')
    expect(lines).toContain('  C: references ${{project.NOPE}}, which is not set in the project')
    expect(run.stderr).not.toContain(V2)
    expect(run.stderr).not.toContain('shop.example.com')
    const list = JSON.parse((await cli.tresor(['releases', ...staging, '--json'])).stdout) as {
      releases: unknown[]
    }
    expect(list.releases).toHaveLength(2)
  })

  it('status shows each environment and the required keys × environments matrix', async () => {
    const out = await cli.tresor(['status', '-p', 'shop'])
    expect(out.code).toBe(0)
    expect(out.stdout).toBe(
      [
        'ENV          REVISION  RELEASE  STATUS',
        'development  0         -        never deployed',
        'staging      4         2        drifted: A B C D',
        'production   0         -        never deployed',
        '',
        'REQUIRED KEY  development  staging  production',
        'SENTRY_DSN    missing      missing  missing',
        'STRIPE_KEY    -            missing  -',
        '',
      ].join('\n'),
    )
    expect(out.stderr).toBe(
      [
        'Needs a deploy: staging.',
        'Never deployed: development and production.',
        'development is missing SENTRY_DSN: deploys will fail.',
        'staging is missing SENTRY_DSN and STRIPE_KEY: deploys will fail.',
        'production is missing SENTRY_DSN: deploys will fail.',
        '',
      ].join('\n'),
    )
    await cli.tresor(['config:unset', 'A', 'B', 'C', 'D', ...staging])
    await cli.tresor([
      'config:set',
      'SENTRY_DSN=https://sentry.test/1',
      'STRIPE_KEY=sk',
      ...staging,
    ])
    const json = JSON.parse(
      (await cli.tresor(['status', '-p', 'shop', '--json'])).stdout,
    ) as StatusJson
    expect(json.requiredKeys).toEqual({
      SENTRY_DSN: { development: 'missing', staging: 'ok', production: 'missing' },
      STRIPE_KEY: { development: '-', staging: 'ok', production: '-' },
    })
    expect((await cli.tresor(['deploy', ...staging, '-q'])).stdout).toBe('3\n')
  })

  it('status lists the project-wide required keys for every environment', async () => {
    const json = JSON.parse(
      (await cli.tresor(['status', '-p', 'shop', '--json'])).stdout,
    ) as StatusJson
    expect(json.requiredKeys['SENTRY_DSN']).toEqual({
      development: 'missing',
      staging: 'ok',
      production: 'missing',
    })
    expect(json.environments.map((e) => [e.env, e.missingKeys])).toEqual([
      ['development', ['SENTRY_DSN']],
      ['staging', []],
      ['production', ['SENTRY_DSN']],
    ])
    const text = await cli.tresor(['status', '-p', 'shop'])
    expect(text.stdout.split('\n').slice(-4)).toEqual([
      'REQUIRED KEY  development  staging  production',
      'SENTRY_DSN    missing      ok       missing',
      'STRIPE_KEY    -            ok       -',
      '',
    ])
  })
})

describe('releases, rollback and diff', () => {
  it('lists releases newest first, never with a value', async () => {
    const out = await cli.tresor(['releases', ...staging])
    const rows = out.stdout
      .split('\n')
      .filter(Boolean)
      .map((l) => l.split('\t').slice(0, 4))
    expect(rows).toEqual([
      ['3', 'active', '6', '0'],
      ['2', 'superseded', '3', '0'],
      ['1', 'superseded', '2', '0'],
    ])
    expect(out.stdout).not.toContain(V1)
  })

  it('diffs releases with --exit-code: 1 when they differ, 0 when not', async () => {
    const differ = await cli.tresor(['diff', 'release:1', 'release:2', ...staging, '--exit-code'])
    expect([differ.code, differ.stdout]).toEqual([1, '~ DB_PASSWORD (secret, value not shown)\n'])
    const same = await cli.tresor(['diff', 'release:2', '3', ...staging, '--exit-code'])
    expect([same.code, same.stdout, same.stderr]).toEqual([
      0,
      '',
      'No differences between release:2 and 3.\n',
    ])
    const json = await cli.tresor(['diff', 'release:2', 'release:latest', ...staging, '--json'])
    expect(JSON.parse(json.stdout)).toMatchObject({
      from: 3,
      to: 6,
      fromRelease: 2,
      toRelease: 3,
      added: [
        { key: 'SENTRY_DSN', value: 'https://sentry.test/1' },
        { key: 'STRIPE_KEY', value: 'sk' },
      ],
    })
    const envs = await cli.tresor(['diff', 'staging', 'production', '-p', 'shop', '--exit-code'])
    expect(envs.code).toBe(1)
    const bad = await cli.tresor(['diff', 'staging', '3', ...staging])
    expect(bad.code).toBe(2)
  })

  it('rollback restores the exact values of a release and releases them', async () => {
    // Release 1 predates the required keys: drop them, or the rollback's release is refused.
    await api(server.url, 'PATCH', P, { requiredKeys: [] })
    await api(server.url, 'PATCH', `${P}/environments/staging`, { requiredKeys: [] })
    const back = await cli.tresor(['rollback', '1', ...staging])
    expect([back.code, back.stdout, back.stderr]).toEqual([
      0,
      '4\n',
      'Rolled back shop/staging to release 1: release 4 (revision 7).\n',
    ])
    const secret = await cli.tresor(['secrets:get', 'DB_PASSWORD', ...staging])
    expect(secret.stdout).toBe(V1)
    const keys = await cli.tresor(['config', ...staging, '--json'])
    const vars = (JSON.parse(keys.stdout) as { vars: Array<{ key: string }> }).vars
    expect(vars.map((v) => v.key)).toEqual(['HOST', 'API_URL', 'DB_PASSWORD'])
    const run = await cli.tresor(['run', ...staging, '--', 'sh', '-c', 'printf %s "$DB_PASSWORD"'])
    expect(run.stdout).toBe(V1)
    const again = await cli.tresor(['rollback', ...staging])
    expect(again.stderr).toBe(
      'Rolled back shop/staging to the previous release: release 5 (revision 8).\n',
    )
    expect((await cli.tresor(['secrets:get', 'DB_PASSWORD', ...staging])).stdout).toBe(V2)
  })
})
