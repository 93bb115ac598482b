import { readdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import {
  cliFor,
  ensureBuilt,
  removeTempDirs,
  startServer,
  tempDir,
  type TestServer,
} from './helpers.ts'
import { api, parseEnv0, spawnTresor, waitFor } from './run-helpers.ts'

const CANARY = 'canary-run-Secret-0123456789-zz'
const PG_PASS = 'canary-project-pg-pass-987654'
// Values a shell, a dotenv parser or an env file would get wrong.
const TRICKY: Record<string, string> = {
  MULTI: 'line one\nline two\n',
  QUOTES: `it's "quoted" \`tick\``,
  DOLLARS: 'pa$$word ${HOME} $(echo no) $1',
  UNICODE: 'héllo 🌍 日本',
  EQUALS: 'a=b=c',
  EMPTY: '',
  SPACES: '  padded  ',
  BACKSLASH: 'C:\\path\\n\\',
  HASH: 'value # not a comment',
}

let server: TestServer
let cli: ReturnType<typeof cliFor>
let home: string
const target = ['-p', 'app', '-e', 'staging']
const E = '/v1/projects/app/environments/staging'

beforeAll(async () => {
  ensureBuilt()
  server = await startServer()
  home = tempDir()
  cli = cliFor(server, home)
  await api(server.url, 'POST', '/v1/projects', { slug: 'app' })
  await api(server.url, 'PATCH', '/v1/projects/app/vars', {
    env: { PG_PASS },
    secrets: ['PG_PASS'],
  })
  await api(server.url, 'PATCH', `${E}/vars`, {
    env: {
      ...TRICKY,
      HOST: 'shop.example.com',
      API_URL: 'https://${{HOST}}/api',
      DSN: 'postgres://app:${{project.PG_PASS}}@db/app',
      DB_PASSWORD: CANARY,
      SHORT: 'abc',
    },
    secrets: ['DB_PASSWORD', 'SHORT'],
  })
  await api(server.url, 'POST', `${E}/releases`)
})
afterAll(async () => {
  await server.stop()
  removeTempDirs()
})

async function releasedEnv(ref = 'latest'): Promise<Record<string, string>> {
  return (await api<{ env: Record<string, string> }>(server.url, 'GET', `${E}/releases/${ref}/env`))
    .env
}

describe('tresor run', () => {
  it("gives the child the release's environment over the current one, exactly", async () => {
    const run = await cli.tresor(['run', ...target, '--', 'env', '-0'], {
      env: { PARENT_ONLY: 'kept', HOST: 'overridden by the release' },
    })
    expect([run.code, run.stderr]).toEqual([0, ''])
    const { TRESOR_TOKEN: _token, ...inherited } = cli.env({ PARENT_ONLY: 'kept' })
    const released = await releasedEnv()
    expect(parseEnv0(run.stdout)).toEqual({ ...inherited, ...released })
    for (const [k, v] of Object.entries(TRICKY)) expect(released[k]).toBe(v)
    expect(released).toMatchObject({
      API_URL: 'https://shop.example.com/api',
      DSN: `postgres://app:${PG_PASS}@db/app`,
      DB_PASSWORD: CANARY,
      APP_ENV: 'staging',
    })
    // Nothing written: not in HOME (the working directory), not anywhere the CLI keeps files.
    expect(readdirSync(home)).toEqual([])
  })

  it('with --no-inherit gives only PATH and the release', async () => {
    const run = await cli.tresor(['run', ...target, '--no-inherit', '--', 'env', '-0'])
    expect(run.code).toBe(0)
    const path = (cli.env() as Record<string, string>)['PATH']
    expect(parseEnv0(run.stdout)).toEqual({ PATH: path, ...(await releasedEnv()) })
  })

  it('runs an older release with --release N', async () => {
    await api(server.url, 'PUT', `${E}/vars`, { key: 'HOST', value: 'two.example.com' })
    await api(server.url, 'POST', `${E}/releases`)
    const [latest, first] = await Promise.all([
      cli.tresor(['run', ...target, '--', 'sh', '-c', 'printf %s "$API_URL"']),
      cli.tresor(['run', ...target, '--release', '1', '--', 'sh', '-c', 'printf %s "$API_URL"']),
    ])
    expect([latest.stdout, first.stdout]).toEqual([
      'https://two.example.com/api',
      'https://shop.example.com/api',
    ])
  })

  it.each([
    [['sh', '-c', 'exit 42'], 42, ''],
    [['sh', '-c', 'kill -KILL $$'], 137, ''],
    [['no-such-command-xyz'], 127, 'tresor run: no-such-command-xyz: command not found\n'],
  ])('exits with the status of %j: %i', async (cmd, code, stderr) => {
    const run = await cli.tresor(['run', ...target, '--', ...cmd])
    expect([run.code, run.stderr]).toEqual([code, stderr])
  })

  it('says to deploy first when the environment has no release, and starts nothing', async () => {
    const run = await cli.tresor(['run', '-p', 'app', '-e', 'production', '--', 'touch', 'ran'])
    expect(run.code).toBe(1)
    expect(run.stderr).toBe(
      'NOT_FOUND: app/production has no release yet: run `tresor deploy -p app -e production` first\n',
    )
    expect(readdirSync(home)).toEqual([])
  })

  it('works with a deploy-only token, and names the scope a token lacks', async () => {
    const mint = async (scopes: string[]) =>
      (
        await api<{ token: string }>(server.url, 'POST', '/v1/tokens', {
          name: scopes.join('+'),
          scopes,
        })
      ).token
    const [deployer, reader] = await Promise.all([mint(['deploy']), mint(['read'])])
    const print = ['--', 'sh', '-c', 'printf %s "$DB_PASSWORD"']
    const ok = await cli.tresor(['run', ...target, ...print], { env: { TRESOR_TOKEN: deployer } })
    expect([ok.code, ok.stdout]).toEqual([0, CANARY])
    const masked = await cli.tresor(['run', ...target, '--mask', ...print], {
      env: { TRESOR_TOKEN: deployer },
    })
    expect(masked.code).toBe(1)
    expect(masked.stderr).toMatch(
      /^FORBIDDEN: .*\(--mask and --fallback read which variables are secret: the token needs the read scope too\) \(request req_\w+\)\n$/,
    )
    const run = await cli.tresor(['run', ...target, ...print], { env: { TRESOR_TOKEN: reader } })
    expect([run.code, run.stdout]).toEqual([1, ''])
    expect(run.stderr).toMatch(
      /^FORBIDDEN: .*\(tresor run reads a release's environment: the token needs the deploy scope\) \(request req_\w+\)\n$/,
    )
  })
})

describe('tresor run passes signals on', () => {
  const script = `const fs = require('fs'); const f = process.argv[1];
for (const s of ['SIGTERM', 'SIGINT', 'SIGHUP']) process.on(s, () => { fs.writeFileSync(f, s); process.exit(40) });
fs.writeFileSync(f, 'ready'); setInterval(() => {}, 1000)`

  it.each(['SIGTERM', 'SIGINT', 'SIGHUP'] as const)(
    '%s to tresor reaches the child, and tresor exits with its status',
    async (signal) => {
      const file = join(tempDir(), 'signal')
      const p = spawnTresor(['run', ...target, '--', 'node', '-e', script, file], cli.env(), home)
      await waitFor('the child', () => (readFileSyncOr(file) === 'ready' ? true : undefined))
      p.child.kill(signal)
      const out = await p.done
      expect([out.code, readFileSync(file, 'utf8')]).toEqual([40, signal])
    },
  )

  it('Ctrl-C at a terminal reaches the child once, not a second time through tresor', () => {
    const script = `process.on('SIGINT', () => { console.log('INT'); setTimeout(() => process.exit(40), 300) })
console.log('ready'); setInterval(() => {}, 1000)`
    const out = cli.inPty(['run', ...target, '--', 'node', '-e', script], [['ready', '\x03']])
    expect(out.code).toBe(40)
    expect(out.output.match(/INT/g)).toEqual(['INT'])
  })

  it('exits 128 + the signal when the child dies of it', async () => {
    const p = spawnTresor(
      ['run', ...target, '--', 'sh', '-c', 'echo up; exec sleep 30'],
      cli.env(),
      home,
    )
    await waitFor('the child', () => (p.out().stdout === 'up\n' ? true : undefined))
    p.child.kill('SIGTERM')
    expect((await p.done).code).toBe(143)
  })
})

describe('tresor run --mask', () => {
  it('replaces secret values in stdout and stderr, also when split across writes', async () => {
    const script = `const s = process.env.DB_PASSWORD
process.stdout.write('pw=' + s + '\\n')
process.stdout.write('half=' + s.slice(0, 9))
setTimeout(() => {
  process.stdout.write(s.slice(9) + '\\n')
  process.stderr.write('err:' + s + ':end\\n')
  process.stdout.write('dsn=' + process.env.DSN + '\\nhost=' + process.env.HOST + '\\n')
}, 40)`
    const run = await cli.tresor(['run', ...target, '--mask', '--', 'node', '-e', script])
    expect(run.code).toBe(0)
    expect(run.stdout).toBe('pw=***\nhalf=***\ndsn=***\nhost=two.example.com\n')
    expect(run.stderr).toBe(
      'warning: --mask does not hide SHORT (shorter than 6 characters)\nerr:***:end\n',
    )
  })
})

describe('tresor run --resolve-local', () => {
  it('adds the variables of a local file, masked like secrets under --mask', async () => {
    const file = join(tempDir(), 'local.env')
    writeFileSync(file, 'LOCAL_TOKEN=$(printf local-token-value)\n')
    const print = ['sh', '-c', 'echo "$LOCAL_TOKEN $HOST"']
    const plain = await cli.tresor(['run', ...target, '--resolve-local', file, '--', ...print])
    expect(plain.stdout).toBe('local-token-value two.example.com\n')
    const masked = await cli.tresor([
      ...['run', ...target, '--resolve-local', file, '--mask', '--'],
      ...print,
    ])
    expect(masked.stdout).toBe('*** two.example.com\n')
  })
})

function readFileSyncOr(file: string): string | undefined {
  try {
    return readFileSync(file, 'utf8')
  } catch {
    return undefined
  }
}
