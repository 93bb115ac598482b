// `tresor addons…` with the built binary against a real server (and the real PostgreSQL for the
// built-in add-on): output, --json shapes, exit codes, and add-on values never printed except by
// the one verb whose purpose is to print one (secrets:get).
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { ADDON_ADMIN_URL, addonServerAnswers, dropLeftovers, leftovers } from '../addons/helpers.ts'
import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import {
  cliFor,
  ensureBuilt,
  removeTempDirs,
  startServer,
  tempDir,
  type TestServer,
} from './helpers.ts'

const CANARY = 'redis://:canary-addon-Stdin-0123456789@cache.internal:6379/0'
const CANARY_ARGV = 'redis://:canary-addon-Argv-0123456789@cache.internal:6379/1'
const CANARY_FILE = 'canary-addon-File-0123456789-zz'

const pgAvailable = await addonServerAnswers()
let server: TestServer
let cli: ReturnType<typeof cliFor>
let home: string
let stagingId = ''
const staging = ['-p', 'shop', '-e', 'staging']

beforeAll(async () => {
  ensureBuilt()
  server = await startServer(
    pgAvailable ? { TRESOR_ADDON_POSTGRES_ADMIN_URL: ADDON_ADMIN_URL } : {},
  )
  home = tempDir()
  cli = cliFor(server, home)
  const created = await cli.tresor(['projects:create', 'shop', '--json'])
  expect(created.code).toBe(0)
  const body = JSON.parse(created.stdout) as { environments: Array<{ id: string; slug: string }> }
  stagingId = body.environments.find((e) => e.slug === 'staging')?.id ?? ''
})
afterAll(async () => {
  await server.stop()
  if (pgAvailable && stagingId !== '') await dropLeftovers(`tresor_${stagingId}`)
  removeTempDirs()
})

describe('attach, list, reveal', () => {
  it('lists nothing at first: empty stdout, a note, {"addons":[]}', async () => {
    const [plain, json] = await Promise.all([
      cli.tresor(['addons', ...staging]),
      cli.tresor(['addons', ...staging, '--json']),
    ])
    expect(plain).toEqual({ code: 0, stdout: '', stderr: 'No add-ons in shop/staging.\n' })
    expect(JSON.parse(json.stdout)).toEqual({ addons: [] })
  })

  it('attaches from KEY=VALUE lines on stdin: the value is never printed', async () => {
    const run = await cli.tresor(['addons:attach', 'redis', ...staging], {
      input: `REDIS_URL=${CANARY}\n`,
    })
    expect(run).toEqual({
      code: 0,
      stdout: '',
      stderr:
        'Attached add-on redis to shop/staging: REDIS_URL changed; revision 1; redeploy required to take effect.\n',
    })
    const vars = await cli.tresor(['vars', ...staging, '--json'])
    const redis = (JSON.parse(vars.stdout) as { vars: Array<Record<string, unknown>> }).vars.find(
      (v) => v.key === 'REDIS_URL',
    )
    expect(redis).toEqual({
      key: 'REDIS_URL',
      kind: 'system',
      preview: 'redis***79/0',
      system: true,
      addon: 'redis',
    })
  })

  it('attaches from --from-file with --config keys shown in clear; --json is the write result', async () => {
    const file = join(home, 'relay.env')
    writeFileSync(file, `# mail relay\nSMTP_HOST=smtp.internal\nSMTP_PASSWORD=${CANARY_FILE}\n`)
    const run = await cli.tresor([
      'addons:attach',
      'mail-relay',
      '--from-file',
      file,
      '--config',
      'SMTP_HOST',
      ...staging,
      '--json',
    ])
    expect(run.code).toBe(0)
    const out = JSON.parse(run.stdout) as Record<string, unknown>
    expect(Object.keys(out).sort()).toEqual([
      'changedKeys',
      'createdAt',
      'keys',
      'mode',
      'name',
      'redeployRequired',
      'revision',
      'updatedAt',
    ])
    expect(out).toMatchObject({
      name: 'mail-relay',
      mode: 'external',
      keys: ['SMTP_HOST', 'SMTP_PASSWORD'],
      changedKeys: ['SMTP_HOST', 'SMTP_PASSWORD'],
      revision: 2,
      redeployRequired: true,
    })
    const listed = await cli.tresor(['vars', ...staging])
    expect(listed.stdout).toContain('SMTP_HOST\tsystem\tsmtp.internal\n')
    expect(listed.stdout).toContain('SMTP_PASSWORD\tsystem\tcanar***9-zz\n')
  })

  it('lists names, mode and variable names (tab-separated off a terminal, and --json)', async () => {
    const [plain, json] = await Promise.all([
      cli.tresor(['addons', ...staging]),
      cli.tresor(['addons', ...staging, '--json']),
    ])
    expect(plain).toEqual({
      code: 0,
      stdout: 'mail-relay\texternal\tSMTP_HOST SMTP_PASSWORD\t-\nredis\texternal\tREDIS_URL\t-\n',
      stderr: '',
    })
    const body = JSON.parse(json.stdout) as { addons: Array<Record<string, unknown>> }
    expect(body.addons.map((a) => [a.name, a.mode, a.keys])).toEqual([
      ['mail-relay', 'external', ['SMTP_HOST', 'SMTP_PASSWORD']],
      ['redis', 'external', ['REDIS_URL']],
    ])
    expect(Object.keys(body.addons[0] ?? {}).sort()).toEqual([
      'createdAt',
      'keys',
      'mode',
      'name',
      'updatedAt',
    ])
  })

  it('secrets:get reveals an add-on variable (audited), exactly', async () => {
    const got = await cli.tresor(['secrets:get', 'REDIS_URL', ...staging])
    expect(got).toEqual({ code: 0, stdout: CANARY, stderr: '' })
    const audit = await cli.tresor(['audit', '-p', 'shop', '--json'])
    expect(audit.stdout).toContain('vars.reveal')
    expect(audit.stdout).not.toContain('canary-addon')
  })

  it('values in argv work but warn; replacing values is an update', async () => {
    const run = await cli.tresor(['addons:attach', 'redis', `REDIS_URL=${CANARY_ARGV}`, ...staging])
    expect(run.code).toBe(0)
    expect(run.stderr).toBe(
      'warning: REDIS_URL given as argument: visible to ps and shell history; prefer stdin or --from-file\n' +
        'Attached add-on redis to shop/staging: REDIS_URL changed; revision 3; redeploy required to take effect.\n',
    )
    const got = await cli.tresor(['secrets:get', 'REDIS_URL', ...staging])
    expect(got.stdout).toBe(CANARY_ARGV)
  })

  it('refuses bad input with precise errors and exit codes, changing nothing', async () => {
    const [notPair, none, unknownKey, reserved, rotateExternal, missing] = await Promise.all([
      cli.tresor(['addons:attach', 'redis', 'NOPE', ...staging]),
      cli.tresor(['addons:attach', 'redis', ...staging], { input: '' }),
      cli.tresor(['addons:attach', 'redis', ...staging], { input: 'REDIS_HOST=x\n' }),
      cli.tresor(['config:set', 'REDIS_URL=redis://evil', ...staging]),
      cli.tresor(['addons:rotate', 'redis', ...staging]),
      cli.tresor(['addons:detach', 'nope', ...staging, '--yes']),
    ])
    expect(notPair).toMatchObject({ code: 2, stdout: '' })
    expect(notPair.stderr).toBe(
      'error: argument 2 is not KEY=VALUE\n(see tresor addons:attach --help)\n',
    )
    expect(none.code).toBe(2)
    expect(none.stderr).toContain('no variables for add-on redis')
    expect(unknownKey.code).toBe(1)
    expect(unknownKey.stderr).toContain('VALIDATION_FAILED: invalid variables for add-on redis')
    expect(unknownKey.stderr).toContain('REDIS_HOST: REDIS_HOST is not a variable of add-on redis')
    expect(reserved.code).toBe(1)
    expect(reserved.stderr).toContain('REDIS_URL is managed by add-on redis')
    expect(rotateExternal.code).toBe(1)
    expect(rotateExternal.stderr).toContain("add-on redis's credentials are managed outside Tresor")
    expect(missing.code).toBe(1)
    expect(missing.stderr).toBe('NOT_FOUND: add-on nope is not attached to shop/staging\n')
    const list = await cli.tresor(['addons', ...staging, '--json'])
    expect((JSON.parse(list.stdout) as { addons: unknown[] }).addons).toHaveLength(2)
  })
})

describe('detach', () => {
  it('asks on a terminal: "n" changes nothing (exit 1), "y" detaches', () => {
    const no = cli.inPty(['addons:detach', 'mail-relay', ...staging], [['[y/N] ', 'n\r']])
    expect(no.code).toBe(1)
    expect(no.output).toContain(
      'Detach add-on mail-relay from shop/staging? its variables (SMTP_HOST and SMTP_PASSWORD) leave the next release. [y/N] ',
    )
    expect(no.output).toContain('Nothing changed.')
    const yes = cli.inPty(['addons:detach', 'mail-relay', ...staging], [['[y/N] ', 'y\r']])
    expect(yes.code).toBe(0)
    expect(yes.output).toContain(
      'Detached add-on mail-relay from shop/staging: SMTP_HOST and SMTP_PASSWORD changed; revision 4',
    )
  })

  it('without a terminal it needs --yes', async () => {
    const refused = await cli.tresor(['addons:detach', 'redis', ...staging])
    expect(refused.code).toBe(2)
    expect(refused.stderr).toContain(
      'this change needs confirmation: run it in a terminal or pass --yes',
    )
    const done = await cli.tresor(['addons:detach', 'redis', ...staging, '--yes', '--json'])
    expect(done.code).toBe(0)
    expect(JSON.parse(done.stdout)).toMatchObject({
      name: 'redis',
      changedKeys: ['REDIS_URL'],
      droppedDatabase: false,
    })
    const gone = await cli.tresor(['secrets:get', 'REDIS_URL', ...staging])
    expect(gone.code).toBe(1)
    expect(gone.stderr).toContain('NOT_FOUND')
  })
})

describe.skipIf(!pgAvailable)('built-in postgres (skipped: no PostgreSQL at 127.0.0.1)', () => {
  it('provisions, rotates, refuses a detach without --drop-database, then drops', async () => {
    const made = await cli.tresor(['addons:attach', 'postgres', '--provision', ...staging])
    expect(made.code, made.stderr).toBe(0)
    expect(made.stderr).toBe(
      'Attached add-on postgres to shop/staging: DATABASE_URL and DATABASE_POOL_SIZE changed; revision 6; redeploy required to take effect.\n',
    )
    const database = `tresor_${stagingId}`
    const list = await cli.tresor(['addons', ...staging])
    expect(list.stdout).toBe(
      `postgres\tprovisioned\tDATABASE_URL DATABASE_POOL_SIZE\t${database}\n`,
    )
    const before = await cli.tresor(['secrets:get', 'DATABASE_URL', ...staging])
    expect(new URL(before.stdout).pathname).toBe(`/${database}`)
    const rotated = await cli.tresor(['addons:rotate', 'postgres', ...staging])
    expect(rotated).toEqual({
      code: 0,
      stdout: '',
      stderr:
        'Rotated add-on postgres on shop/staging: DATABASE_URL changed; revision 7; redeploy required to take effect.\n',
    })
    const after = await cli.tresor(['secrets:get', 'DATABASE_URL', ...staging])
    expect(after.stdout).not.toBe(before.stdout)
    const keep = await cli.tresor(['addons:detach', 'postgres', ...staging, '--yes'])
    expect(keep.code).toBe(2)
    expect(keep.stderr).toContain(
      `add-on postgres has database ${database}: detaching drops it with all its data; pass --drop-database to confirm`,
    )
    expect((await leftovers(database)).databases).toEqual([database])
    const ask = cli.inPty(
      ['addons:detach', 'postgres', '--drop-database', ...staging],
      [['[y/N] ', 'n\r']],
    )
    expect(ask.output).toContain(`and database ${database} is dropped with all its data. [y/N] `)
    expect(ask.code).toBe(1)
    const dropped = await cli.tresor([
      'addons:detach',
      'postgres',
      '--drop-database',
      ...staging,
      '--yes',
    ])
    expect(dropped.code).toBe(0)
    expect(dropped.stderr).toContain(
      `Detached add-on postgres from shop/staging and dropped database ${database}:`,
    )
    expect(await leftovers(database)).toEqual({ databases: [], roles: [] })
    // Generated passwords are printed only by secrets:get.
    for (const url of [before.stdout, after.stdout]) {
      const pw = decodeURIComponent(new URL(url).password)
      for (const { args, run } of cli.runs) {
        if (args[0] === 'secrets:get') continue
        expect(run.stdout + run.stderr).not.toContain(pw)
      }
    }
  })
})

describe('leak canary', () => {
  it('no add-on value in any output but secrets:get', () => {
    for (const { args, run } of cli.runs) {
      const seen = (args[0] === 'secrets:get' ? '' : run.stdout) + run.stderr
      for (const canary of ['canary-addon-Stdin', 'canary-addon-Argv', CANARY_FILE])
        expect(seen, args.join(' ')).not.toContain(canary)
    }
  })
})
