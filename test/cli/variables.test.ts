import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import {
  cliFor,
  ensureBuilt,
  startServer,
  tempDir,
  type TestServer,
  removeTempDirs,
} from './helpers.ts'

// Secret values that must never show up anywhere but in `secrets:get`'s stdout.
const CANARY = 'canary-stdin-Value-0123456789-zz'
const CANARY_ARGV = 'canary-argv-Value-0123456789-zz'
const CANARY_PTY = 'canary-pty-Value-0123456789-zz'
const CANARY_ROTATED = 'canary-rotated-Value-012345-zz'

let server: TestServer
let cli: ReturnType<typeof cliFor>
const p = ['-p', 'shop']
const staging = [...p, '-e', 'staging']

beforeAll(async () => {
  ensureBuilt()
  server = await startServer()
  cli = cliFor(server, tempDir())
  const created = await cli.tresor(['projects:create', 'shop'])
  expect(created.code).toBe(0)
})
afterAll(async () => {
  await server.stop()
  removeTempDirs()
})

describe('projects and environments', () => {
  it('lists projects as tab-separated rows off a terminal, and as stable JSON', async () => {
    const [plain, json] = await Promise.all([
      cli.tresor(['projects']),
      cli.tresor(['projects', '--json']),
    ])
    expect(plain.stdout).toMatch(/^shop\tprj_[0-9a-z]{16}\tdevelopment staging production\n$/)
    const body = JSON.parse(json.stdout) as { projects: Array<Record<string, unknown>> }
    expect(Object.keys(body.projects[0] ?? {}).sort()).toEqual([
      'createdAt',
      'environments',
      'id',
      'name',
      'requiredKeys',
      'slug',
    ])
  })

  it('creates an environment and lists it with its status', async () => {
    const made = await cli.tresor(['envs:create', 'qa', ...p])
    expect(made.code).toBe(0)
    expect(made.stderr).toMatch(/^Created environment shop\/qa \(env_[0-9a-z]{16}\)\.\n$/)
    const envs = await cli.tresor(['envs', ...p])
    expect(envs.stdout.split('\n').map((l) => l.split('\t').slice(0, 4).join(' '))).toEqual([
      'development 0 - up to date',
      'staging 0 - up to date',
      'production 0 - up to date',
      'qa 0 - up to date',
      '',
    ])
  })

  it('names the request of an API error and exits 1', async () => {
    const run = await cli.tresor(['config', '-p', 'nope', '-e', 'staging'])
    expect(run.code).toBe(1)
    expect(run.stdout).toBe('')
    expect(run.stderr).toMatch(
      /^NOT_FOUND: project 'nope' not found \(request req_[0-9a-z]{16}\)\n$/,
    )
  })
})

describe('config', () => {
  it('merges with config:set and lists values with config', async () => {
    const set = await cli.tresor([
      'config:set',
      'LOG_LEVEL=debug',
      'GREETING=hello world',
      ...staging,
    ])
    expect(set).toEqual({
      code: 0,
      stdout: '',
      stderr:
        'Set LOG_LEVEL and GREETING on shop/staging: revision 1; redeploy required to take effect.\n',
    })
    await cli.tresor(['config:set', 'LOG_LEVEL=info', 'MULTI=a\nb', ...staging])
    const list = await cli.tresor(['config', ...staging])
    expect(list.stdout).toBe(
      'LOG_LEVEL\tconfig\tinfo\nGREETING\tconfig\thello world\nMULTI\tconfig\ta\\nb\n',
    )
    const json = JSON.parse((await cli.tresor(['config', ...staging, '--json'])).stdout) as Record<
      string,
      unknown
    >
    expect(Object.keys(json).sort()).toEqual(['count', 'redeployRequired', 'revision', 'vars'])
    expect(json).toMatchObject({ count: 3, revision: 2, redeployRequired: true })
    expect(
      (json.vars as Array<Record<string, unknown>>).map((v) => [v.key, v.kind, v.value]),
    ).toEqual([
      ['LOG_LEVEL', 'config', 'info'],
      ['GREETING', 'config', 'hello world'],
      ['MULTI', 'config', 'a\nb'],
    ])
  })

  it('prints one value exactly with config:get, and explains a missing key', async () => {
    const [multi, json, missing] = await Promise.all([
      cli.tresor(['config:get', 'MULTI', ...staging]),
      cli.tresor(['config:get', 'MULTI', ...staging, '--json']),
      cli.tresor(['config:get', 'NOPE', ...staging]),
    ])
    expect(multi).toEqual({ code: 0, stdout: 'a\nb', stderr: '' })
    expect(JSON.parse(json.stdout)).toEqual({ key: 'MULTI', kind: 'config', value: 'a\nb' })
    expect(missing).toEqual({
      code: 1,
      stdout: '',
      stderr: 'NOT_FOUND: NOPE is not set in shop/staging\n  NOPE: not set in this environment\n',
    })
  })

  it('reports removed and not-found keys with config:unset', async () => {
    const run = await cli.tresor(['config:unset', 'GREETING', 'NEVER_SET', ...staging])
    expect(run.stderr).toBe(
      'Removed GREETING from shop/staging: revision 3; redeploy required to take effect.\nNot found: NEVER_SET.\n',
    )
    const json = await cli.tresor(['config:unset', 'NEVER_SET', ...staging, '--json', '-q'])
    expect(JSON.parse(json.stdout)).toEqual({
      removed: [],
      notFound: ['NEVER_SET'],
      revision: 3,
      redeployRequired: true,
    })
    expect(json.stderr).toBe('')
  })

  it('refuses a bad key before calling the server, without echoing it', async () => {
    const run = await cli.tresor(['config:set', '1BAD=x', ...staging])
    expect(run).toEqual({
      code: 2,
      stdout: '',
      stderr:
        'error: argument 1 is not a valid key: key must start with a letter or underscore\n(see tresor config:set --help)\n',
    })
  })

  it('passes on the server warnings for config keys named like secrets', async () => {
    const run = await cli.tresor(['config:set', 'API_TOKEN=not-really', ...staging])
    expect(run.stderr).toContain('warning: API_TOKEN looks like a secret but is stored as config')
    await cli.tresor(['config:unset', 'API_TOKEN', ...staging, '-q'])
  })
})

describe('secrets', () => {
  it('sets a secret from stdin and lists only its preview', async () => {
    const set = await cli.tresor(['secrets:set', 'DB_PASSWORD', ...staging], {
      input: `${CANARY}\n`,
    })
    expect(set.code).toBe(0)
    expect(set.stderr).toMatch(
      /^Set secret DB_PASSWORD on shop\/staging: revision \d+; redeploy required/,
    )
    const [list, json] = await Promise.all([
      cli.tresor(['secrets', ...staging]),
      cli.tresor(['secrets', ...staging, '--json']),
    ])
    expect(list.stdout).toBe('DB_PASSWORD\tsecret\tcanar***9-zz\n')
    const body = JSON.parse(json.stdout) as { vars: Array<Record<string, unknown>> }
    expect(
      body.vars.map(({ key, kind, preview, value }) => ({ key, kind, preview, value })),
    ).toEqual([{ key: 'DB_PASSWORD', kind: 'secret', preview: 'canar***9-zz', value: undefined }])
  })

  it('prints the exact value with secrets:get (no line break added off a terminal)', async () => {
    const run = await cli.tresor(['secrets:get', 'DB_PASSWORD', ...staging])
    expect(run).toEqual({ code: 0, stdout: CANARY, stderr: '' })
  })

  it('takes --value only when given, with a warning', async () => {
    const run = await cli.tresor(['secrets:set', 'ARGV_SECRET', '--value', CANARY_ARGV, ...staging])
    expect(run.code).toBe(0)
    expect(run.stderr).toContain(
      'warning: --value puts the secret in the process list and shell history; prefer stdin\n',
    )
    expect((await cli.tresor(['secrets:get', 'ARGV_SECRET', ...staging])).stdout).toBe(CANARY_ARGV)
  })

  it('refuses an empty stdin instead of setting an empty secret', async () => {
    const run = await cli.tresor(['secrets:set', 'EMPTY', ...staging], { input: '' })
    expect(run.code).toBe(2)
    expect(run.stderr).toContain(
      "error: no value for EMPTY was given; to set an empty value pass --value ''",
    )
  })

  it('reads a secret from a hidden prompt on a terminal, never echoing it', () => {
    const run = cli.inPty(
      ['secrets:set', 'PTY_SECRET', ...staging],
      [['(hidden): ', `${CANARY_PTY}\r`]],
    )
    expect(run.code).toBe(0)
    expect(run.output).toContain('Value for PTY_SECRET (hidden): ')
    expect(run.output).not.toContain('canary-pty')
    const cancelled = cli.inPty(['secrets:set', 'NEVER', ...staging], [['(hidden): ', 'abc\u0003']])
    expect(cancelled.code).toBe(130)
    expect(cancelled.output).toContain('Cancelled.')
  })

  it('checks the prompt value landed, and that Ctrl-C set nothing', async () => {
    const [got, never] = await Promise.all([
      cli.tresor(['secrets:get', 'PTY_SECRET', ...staging]),
      cli.tresor(['secrets:get', 'NEVER', ...staging]),
    ])
    expect(got.stdout).toBe(CANARY_PTY)
    expect(never.code).toBe(1)
    expect(never.stderr).toMatch(/^NOT_FOUND: variable NEVER not found \(request req_/)
  })

  it('rotates a secret from stdin; history and diff show the change without values', async () => {
    const run = await cli.tresor(['secrets:rotate', 'DB_PASSWORD', ...staging, '--json'], {
      input: CANARY_ROTATED,
    })
    const out = JSON.parse(run.stdout) as { revision: number; previousRevision: number }
    expect(out.revision).toBe(out.previousRevision + 1)
    expect(run.stderr).toContain(`The previous value stays in revision ${out.previousRevision}.`)
    const [diff, history] = await Promise.all([
      cli.tresor(['diff', String(out.previousRevision), String(out.revision), ...staging]),
      cli.tresor(['history', ...staging, '--limit', '1']),
    ])
    expect(diff.stdout).toBe('~ DB_PASSWORD (secret, value not shown)\n')
    expect(history.stdout).toMatch(
      new RegExp(`^${out.revision}\\t\\S+\\tmem_[0-9a-z]{16}\\tDB_PASSWORD\\n$`),
    )
    expect((await cli.tresor(['secrets:get', 'DB_PASSWORD', ...staging])).stdout).toBe(
      CANARY_ROTATED,
    )
  })

  it('generates a value with --generate --length and never prints it', async () => {
    const run = await cli.tresor([
      'secrets:rotate',
      'ARGV_SECRET',
      '--generate',
      '--length',
      '40',
      ...staging,
    ])
    expect(run.code).toBe(0)
    expect(run.stdout).toBe('')
    const got = await cli.tresor(['secrets:get', 'ARGV_SECRET', ...staging])
    expect(got.stdout).toMatch(/^[A-Za-z0-9]{40}$/)
    expect(run.stderr).not.toContain(got.stdout)
  })

  it('refuses to rotate a key that is missing or not a secret', async () => {
    const [missing, config] = await Promise.all([
      cli.tresor(['secrets:rotate', 'NOPE', '--generate', ...staging]),
      cli.tresor(['secrets:rotate', 'LOG_LEVEL', '--generate', ...staging]),
    ])
    expect(missing.code).toBe(1)
    expect(missing.stderr).toContain('NOT_FOUND: NOPE is not set in shop/staging; use secrets:set')
    expect(config.code).toBe(2)
    expect(config.stderr).toContain('error: LOG_LEVEL is config, not a secret')
  })
})

describe('vars, diff and terminals', () => {
  it('lists everything with vars, system variables marked', async () => {
    const run = await cli.tresor(['vars', ...staging])
    const kinds = run.stdout
      .trim()
      .split('\n')
      .map((l) => l.split('\t').slice(0, 2).join(' '))
    expect(kinds).toEqual([
      'LOG_LEVEL config',
      'MULTI config',
      'DB_PASSWORD secret',
      'ARGV_SECRET secret',
      'PTY_SECRET secret',
      'PORT system',
      'APP_ENV system',
      'TRESOR_PROJECT_SLUG system',
      'TRESOR_ENV_SLUG system',
    ])
  })

  it('compares two environments: config values, secrets by name only', async () => {
    await cli.tresor([
      'config:set',
      'LOG_LEVEL=warn',
      'ONLY_PROD=1',
      '-p',
      'shop',
      '-e',
      'production',
    ])
    await cli.tresor(['secrets:set', 'DB_PASSWORD', '-p', 'shop', '-e', 'production'], {
      input: 'prod-password-value-long',
    })
    const run = await cli.tresor(['diff', 'staging', 'production', ...p])
    expect(run.stdout).toBe(
      [
        '+ ONLY_PROD=1',
        '- MULTI (config)',
        '- ARGV_SECRET (secret)',
        '- PTY_SECRET (secret)',
        '~ LOG_LEVEL: info → warn',
        '~ DB_PASSWORD (secret, value not shown)',
        '',
      ].join('\n'),
    )
    const mixed = await cli.tresor(['diff', 'staging', '3', ...staging])
    expect(mixed.code).toBe(2)
    // Secrets are compared by value on the server: the same value on both sides is named, once.
    const reused = 'reused-secret-value-1234567'
    for (const env of ['staging', 'production'])
      await cli.tresor(['secrets:set', 'REUSED_TOKEN', '-p', 'shop', '-e', env], { input: reused })
    const again = await cli.tresor(['diff', 'staging', 'production', ...p, '--json'])
    expect(JSON.parse(again.stdout)).toMatchObject({ identicalSecrets: ['REUSED_TOKEN'] })
    const text = await cli.tresor(['diff', 'staging', 'production', ...p])
    expect(text.stderr).toContain(
      'Secrets with the same value in staging and production: REUSED_TOKEN.',
    )
    expect(text.stdout + text.stderr + again.stdout).not.toContain(reused)
    await Promise.all(
      ['staging', 'production'].map((env) =>
        cli.tresor(['secrets:unset', 'REUSED_TOKEN', '-p', 'shop', '-e', env]),
      ),
    )
  })

  it('draws a table with a header, in colour, on a terminal', () => {
    const run = cli.inPty(['config', ...staging], [])
    expect(run.code).toBe(0)
    expect(run.output.split('\r\n').slice(0, 3)).toEqual([
      '\u001b[1mKEY          KIND    VALUE\u001b[22m',
      'LOG_LEVEL    config  info',
      'MULTI        config  a\\nb',
    ])
    expect(run.output).toContain('\r\nDB_PASSWORD  secret  canar***5-zz\r\n')
  })

  it('never shows a secret value anywhere but secrets:get stdout', () => {
    expect(cli.runs.length).toBeGreaterThan(30)
    for (const { args, run } of cli.runs) {
      const shown = args[0] === 'secrets:get' ? run.stderr : run.stdout + run.stderr
      for (const canary of [CANARY, CANARY_ARGV, CANARY_PTY, CANARY_ROTATED])
        expect(shown, args.join(' ')).not.toContain(canary)
    }
  })
})
