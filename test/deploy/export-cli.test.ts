import {
  existsSync,
  lstatSync,
  readdirSync,
  readFileSync,
  symlinkSync,
  writeFileSync,
  chmodSync,
} from 'node:fs'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { exportDeployEnv, type DeployFormat } from '../../src/core/export/deploy-formats.ts'
import { parseRubyDotenv } from '../helpers/export-models/ruby-dotenv.ts'
import { sourceInShell } from '../helpers/export-models/real-consumers.ts'
import { removeTempDirs, tempDir } from '../cli/helpers.ts'
import { bash, OP_VALUES, startSandbox, type Sandbox } from './helpers/sandbox.ts'

let sb: Sandbox
const prod = '-p myapp -e production'
beforeAll(async () => {
  sb = await startSandbox()
}, 60_000)
afterAll(async () => {
  await sb.stop()
  removeTempDirs()
})

const run = (command: string, env: Record<string, string> = {}, cwd?: string) =>
  bash(command, cwd ?? sb.dir, { ...sb.env, ...env })

async function tokenWith(scopes: string[]): Promise<string> {
  const { token } = (await sb.api('POST', '/v1/tokens', {
    name: scopes.join('-'),
    scopes,
    project: 'myapp',
  })) as { token: string }
  return token
}

describe('tresor export (the built binary, a real server)', () => {
  it.each([
    'dotenv',
    'shell',
    'json',
    'yaml',
    'docker',
    'systemd',
    'k8s',
    'kamal',
    'kamal-json',
  ] as DeployFormat[])(
    '--format %s prints exactly the exporter text of the latest release',
    async (format) => {
      const r = await run(`tresor export --format ${format} ${prod}`)
      expect(r.code, r.stderr).toBe(0)
      expect(r.stdout).toBe(
        exportDeployEnv(format, sb.released, { project: 'myapp', environment: 'production' }),
      )
      expect(r.stderr).toBe('')
    },
  )

  it('is read back exactly by Ruby dotenv 3 (kamal), bash (shell) and JSON.parse (json)', async () => {
    const kamal = await run(`tresor export --format kamal ${prod}`)
    const noCommands = (cmd: string): string => {
      throw new Error(`a command would run: ${cmd}`)
    }
    expect(parseRubyDotenv(kamal.stdout, { kamal: true, run: noCommands })).toEqual(sb.released)
    const shell = await run(`tresor export --format shell ${prod}`)
    const sourced = sourceInShell('bash', shell.stdout)
    for (const [k, v] of sb.released) expect(sourced.get(k)?.toString(), k).toBe(v)
    const json = await run(`tresor export --format json ${prod}`)
    expect(new Map(Object.entries(JSON.parse(json.stdout) as Record<string, string>))).toEqual(
      sb.released,
    )
  })

  it('reads an older release with --release N, and the latest by default', async () => {
    await sb.api('PUT', '/v1/projects/myapp/environments/production/vars', {
      key: 'RAILS_LOG_LEVEL',
      value: 'debug',
    })
    await sb.api('POST', '/v1/projects/myapp/environments/production/releases', {})
    const old = await run(`tresor export --format json --release 1 ${prod}`)
    const latest = await run(`tresor export --format json ${prod}`)
    expect((JSON.parse(old.stdout) as Record<string, string>).RAILS_LOG_LEVEL).toBe('info')
    expect((JSON.parse(latest.stdout) as Record<string, string>).RAILS_LOG_LEVEL).toBe('debug')
    const bad = await run(`tresor export --release 0 ${prod}`)
    expect([bad.code, bad.stderr.split('\n')[0]]).toEqual([
      2,
      'error: --release must be a release number',
    ])
  })

  it('is refused to a token without the deploy scope, printing nothing', async () => {
    const readOnly = await run(`tresor export --format json ${prod}`, {
      TRESOR_TOKEN: await tokenWith(['read']),
    })
    expect(readOnly.code).toBe(1)
    expect(readOnly.stderr).toMatch(/^FORBIDDEN: /)
    expect(readOnly.stdout).toBe('')
  })
})

describe('tresor export --output', () => {
  it('writes a 0600 file atomically, prints nothing on stdout and leaves no temporary file', async () => {
    const dir = tempDir('tresor-out-')
    const r = await run(
      `umask 000 && tresor export --format docker ${prod} --output app.env`,
      {},
      dir,
    )
    expect(r.code, r.stderr).toBe(0)
    expect(r.stdout).toBe('')
    expect(r.stderr).toMatch(
      /^Wrote 10 variables of myapp\/production release \d+ to app.env \(mode 600\)\.\n$/,
    )
    expect(lstatSync(join(dir, 'app.env')).mode & 0o777).toBe(0o600)
    expect(readFileSync(join(dir, 'app.env'), 'utf8')).toBe(
      exportDeployEnv('docker', await latest()),
    )
    // Replacing its own 0600 file is fine; nothing else is left in the directory.
    expect(
      (await run(`tresor export --format docker ${prod} --output app.env`, {}, dir)).code,
    ).toBe(0)
    expect(readdirSync(dir)).toEqual(['app.env'])
  })

  it('refuses a file others can read, a symbolic link and a directory, changing none', async () => {
    const dir = tempDir('tresor-out-')
    writeFileSync(join(dir, 'shared.env'), 'KEEP=1\n')
    chmodSync(join(dir, 'shared.env'), 0o640)
    symlinkSync(join(dir, 'shared.env'), join(dir, 'link.env'))
    for (const [target, why] of [
      [
        'shared.env',
        'shared.env has mode 640, so other users can read it; run chmod 600 on it or remove it first',
      ],
      ['link.env', 'link.env is a symbolic link; name the file itself'],
      ['.', 'exists and is not a regular file'],
    ]) {
      const r = await run(`tresor export ${prod} --output ${target}`, {}, dir)
      expect(r.code, target).toBe(1)
      expect(r.stderr).toContain(why)
    }
    expect(readFileSync(join(dir, 'shared.env'), 'utf8')).toBe('KEEP=1\n')
    expect(readdirSync(dir).sort()).toEqual(['link.env', 'shared.env'])
  })
})

async function latest(): Promise<Map<string, string>> {
  const { env } = (await sb.api(
    'GET',
    '/v1/projects/myapp/environments/production/releases/latest/env',
  )) as {
    env: Record<string, string>
  }
  return new Map(Object.entries(env))
}

describe('tresor export --resolve-local', () => {
  const opLog = () =>
    existsSync(sb.env.FAKE_OP_LOG ?? '') ? readFileSync(sb.env.FAKE_OP_LOG ?? '', 'utf8') : ''

  it('adds op:// values, $(command) output and literal values from a local file', async () => {
    const dir = tempDir('tresor-local-')
    writeFileSync(
      join(dir, 'local.env'),
      [
        'REGISTRY_PASSWORD=op://Deploy/registry/password',
        `BUILT_BY="user-$(printf %s $LOGNAME)-$(echo '(x)')"`,
        "LITERAL='$(echo no) op://not/read'",
        'NO_TOKEN=$(printenv TRESOR_TOKEN || echo none)',
        '',
      ].join('\n'),
    )
    writeFileSync(sb.env.FAKE_OP_LOG ?? '', '')
    const r = await run(
      `tresor export --format json ${prod} --resolve-local local.env`,
      { LOGNAME: 'ci' },
      dir,
    )
    expect(r.code, r.stderr).toBe(0)
    const env = JSON.parse(r.stdout) as Record<string, string>
    expect(env).toEqual({
      ...Object.fromEntries(await latest()),
      REGISTRY_PASSWORD: OP_VALUES['op://Deploy/registry/password'],
      BUILT_BY: 'user-ci-(x)',
      LITERAL: '$(echo no) op://not/read',
      NO_TOKEN: 'none',
    })
    expect(opLog()).toBe('read --no-newline op://Deploy/registry/password\n')
  })

  it('never runs or reads anything from values stored on the server, with or without the flag', async () => {
    const sentinel = join(tempDir('tresor-sentinel-'), 'pwned')
    await sb.api('PUT', '/v1/projects/myapp/environments/development/vars', {
      key: 'CMD',
      value: `$(touch ${sentinel})`,
    })
    await sb.api('PUT', '/v1/projects/myapp/environments/development/vars', {
      key: 'REF',
      value: 'op://Deploy/registry/password',
    })
    await sb.api('POST', '/v1/projects/myapp/environments/development/releases', {})
    writeFileSync(sb.env.FAKE_OP_LOG ?? '', '')
    const dir = tempDir('tresor-local-')
    writeFileSync(join(dir, 'empty.env'), '# nothing here\n')
    for (const flag of ['', '--resolve-local empty.env']) {
      const r = await run(`tresor export --format json -p myapp -e development ${flag}`, {}, dir)
      expect(r.code, r.stderr).toBe(0)
      expect(JSON.parse(r.stdout)).toMatchObject({
        CMD: `$(touch ${sentinel})`,
        REF: 'op://Deploy/registry/password',
      })
    }
    expect(existsSync(sentinel)).toBe(false)
    expect(opLog()).toBe('')
  })

  it('refuses a key the release already has, and names a source that fails without its value', async () => {
    const dir = tempDir('tresor-local-')
    writeFileSync(
      join(dir, 'clash.env'),
      'PORT=8080\nSTRIPE_SECRET_KEY=op://Deploy/registry/password\n',
    )
    const clash = await run(`tresor export ${prod} --resolve-local clash.env`, {}, dir)
    expect(clash.code).toBe(1)
    expect(clash.stderr).toContain('CONFLICT: clash.env sets 2 variables the release has')
    expect(clash.stderr).toContain('  PORT: set both in the release and in clash.env; remove one')
    expect(clash.stdout).toBe('')
    writeFileSync(
      join(dir, 'bad.env'),
      'A=ok\nMISSING=op://Deploy/nope/x\nFAILS=$(echo canary-out; exit 3)\nOPEN=$(echo\n',
    )
    const bad = await run(`tresor export ${prod} --resolve-local bad.env`, {}, dir)
    expect(bad.code).toBe(1)
    expect(bad.stderr).toContain('VALIDATION_FAILED:')
    expect(bad.stderr).toContain('  MISSING, line 2: op read exited with status 1')
    expect(bad.stderr).toContain('  FAILS, line 3: the command exited with status 3')
    expect(bad.stderr).toContain('  OPEN, line 4: a $( has no matching )')
    expect(bad.stderr).not.toContain('canary-out')
    expect(bad.stdout).toBe('')
  })
})

describe('tresor kamal:init', () => {
  it('answers --json with the split, and refuses to replace a secrets file without --force', async () => {
    const dir = tempDir('tresor-kamal-')
    const first = await run(`tresor kamal:init ${prod} --json`, {}, dir)
    expect(first.code, first.stderr).toBe(0)
    const body = JSON.parse(first.stdout) as {
      clear: Record<string, string>
      secret: string[]
      secretsFile: string
    }
    expect(body.clear).toEqual({
      RAILS_ENV: 'production',
      RAILS_LOG_LEVEL: expect.any(String) as string,
    })
    expect(body.secret.slice(0, 3)).toEqual([
      'RAILS_MASTER_KEY',
      'DATABASE_PASSWORD',
      'STRIPE_SECRET_KEY',
    ])
    expect(body.secretsFile).toBe('.kamal/secrets')
    writeFileSync(join(dir, '.kamal/secrets'), 'MINE=1\n')
    const again = await run(`tresor kamal:init ${prod}`, {}, dir)
    expect(again.code).toBe(1)
    expect(again.stderr).toContain('.kamal/secrets exists; merge the lines by hand or pass --force')
    expect(readFileSync(join(dir, '.kamal/secrets'), 'utf8')).toBe('MINE=1\n')
    const forced = await run(
      `tresor kamal:init ${prod} --force --secrets-file .kamal/secrets`,
      {},
      dir,
    )
    expect(forced.code, forced.stderr).toBe(0)
    expect(readFileSync(join(dir, '.kamal/secrets'), 'utf8')).toContain(
      'TRESOR_SECRETS=$(tresor export',
    )
  })
})
