import { chmodSync, mkdirSync, readFileSync, statSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import {
  cliFor,
  ensureBuilt,
  OWNER_TOKEN,
  startServer,
  tempDir,
  type TestServer,
  removeTempDirs,
} from './helpers.ts'

let server: TestServer
let home: string
let cli: ReturnType<typeof cliFor>
let credsFile: string
// No TRESOR_URL / TRESOR_TOKEN: these tests are about the credentials file.
const bare = () => ({ TRESOR_URL: '', TRESOR_TOKEN: '' })

beforeAll(async () => {
  ensureBuilt()
  server = await startServer()
  home = tempDir()
  cli = cliFor(server, home)
  credsFile = join(home, '.config/tresor/credentials.json')
  await cli.tresor(['projects:create', 'app'])
})
afterAll(async () => {
  await server.stop()
  removeTempDirs()
})

describe('login, whoami, logout', () => {
  it('refuses a bad token and saves nothing', async () => {
    const run = await cli.tresor(['login', '--url', server.url], {
      env: bare(),
      input: 'tresor_pat_wrong\n',
    })
    expect(run.code).toBe(1)
    expect(run.stderr).toMatch(
      /^UNAUTHENTICATED: A valid bearer token is required .*\(request req_[0-9a-z]{16}\)\n$/,
    )
    expect(() => statSync(credsFile)).toThrow()
  })

  it('saves a token read from stdin in a 0600 file, then uses it', async () => {
    const run = await cli.tresor(['login', '--url', `${server.url}/`], {
      env: bare(),
      input: `${OWNER_TOKEN}\n`,
    })
    expect(run.code).toBe(0)
    expect(run.stdout).toBe('')
    expect(run.stderr).toMatch(
      new RegExp(
        `^Logged in to ${server.url} as owner \\(mem_[0-9a-z]{16}\\); token saved in ${credsFile}\\.\\n$`,
      ),
    )
    expect(statSync(credsFile).mode & 0o777).toBe(0o600)
    expect(statSync(join(home, '.config/tresor')).mode & 0o777).toBe(0o700)
    const creds = JSON.parse(readFileSync(credsFile, 'utf8')) as {
      default: string
      servers: Record<string, { token: string }>
    }
    expect(creds.default).toBe(server.url)
    expect(creds.servers[server.url]?.token).toBe(OWNER_TOKEN)
    const me = await cli.tresor(['whoami', '--json'], { env: bare() })
    const body = JSON.parse(me.stdout) as Record<string, unknown>
    expect(Object.keys(body).sort()).toEqual([
      'actor',
      'memberId',
      'revealProduction',
      'role',
      'scopes',
      'tokenId',
      'url',
      'workspaceId',
    ])
    expect(body).toMatchObject({
      url: server.url,
      role: 'owner',
      scopes: ['read', 'write', 'secrets:reveal', 'deploy', 'admin'],
    })
  })

  it('reads the token from a hidden prompt on a terminal', () => {
    const run = cli.inPty(['login', '--url', server.url], [['(hidden): ', `${OWNER_TOKEN}\r`]], {
      env: bare(),
    })
    expect(run.code).toBe(0)
    expect(run.output).toContain(`Token for ${server.url} (hidden): `)
    expect(run.output).not.toContain(OWNER_TOKEN)
    expect(statSync(credsFile).mode & 0o777).toBe(0o600)
  })

  it('warns when the credentials file is readable by others', async () => {
    chmodSync(credsFile, 0o644)
    const run = await cli.tresor(['whoami'], { env: bare() })
    chmodSync(credsFile, 0o600)
    expect(run.code).toBe(0)
    expect(run.stderr).toBe(
      `warning: ${credsFile} can be read by other users; run chmod 600 on it\n`,
    )
    expect(run.stdout).toMatch(
      new RegExp(`^server\\t${server.url}\\nactor\\tmember mem_\\w+ \\(owner\\)\\n`),
    )
  })

  it('takes no token in argv', async () => {
    const run = await cli.tresor(['whoami', '--token', OWNER_TOKEN], { env: bare() })
    expect(run.code).toBe(2)
    expect(run.stderr).toContain("error: unknown option '--token'")
  })

  it('forgets the server on logout', async () => {
    const run = await cli.tresor(['logout'], { env: bare() })
    expect(run.stderr).toMatch(
      new RegExp(`^Logged out of ${server.url}\\. The token itself stays valid`),
    )
    expect(JSON.parse(readFileSync(credsFile, 'utf8'))).toEqual({ servers: {} })
    const after = await cli.tresor(['whoami'], { env: bare() })
    expect(after.code).toBe(2)
    expect(after.stderr).toContain('error: no Tresor server: set TRESOR_URL and TRESOR_TOKEN')
    const urlOnly = await cli.tresor(['whoami'], {
      env: { TRESOR_URL: server.url, TRESOR_TOKEN: '' },
    })
    expect(urlOnly).toEqual({
      code: 1,
      stdout: '',
      stderr: `UNAUTHENTICATED: not logged in to ${server.url}: run tresor login --url ${server.url}, or set TRESOR_TOKEN\n`,
    })
  })
})

describe('link and the project/environment settings', () => {
  it('writes .tresor.json and finds it from a subfolder', async () => {
    const folder = tempDir('tresor-linked-')
    const deep = join(folder, 'src/deep')
    mkdirSync(deep, { recursive: true })
    const run = await cli.tresor(['link', '-p', 'app', '-e', 'staging'], { cwd: folder })
    expect(run).toEqual({
      code: 0,
      stdout: '',
      stderr: `Linked ${folder}/.tresor.json to app/staging.\n`,
    })
    expect(JSON.parse(readFileSync(join(folder, '.tresor.json'), 'utf8'))).toEqual({
      project: 'app',
      env: 'staging',
    })
    await cli.tresor(['config:set', 'WHERE=linked'], { cwd: deep })
    const [here, other] = await Promise.all([
      cli.tresor(['config:get', 'WHERE'], { cwd: deep }),
      cli.tresor(['config', '-e', 'production'], { cwd: deep }),
    ])
    expect(here.stdout).toBe('linked')
    expect(other).toEqual({ code: 0, stdout: '', stderr: 'No variables in app/production.\n' })
  })

  it('defaults to development, and refuses an unknown environment', async () => {
    const folder = tempDir('tresor-linked-')
    const [dev, bad] = await Promise.all([
      cli.tresor(['link', '-p', 'app'], { cwd: folder }),
      cli.tresor(['link', '-p', 'app', '-e', 'nope'], { cwd: tempDir() }),
    ])
    expect(dev.stderr).toBe(`Linked ${folder}/.tresor.json to app/development.\n`)
    expect(bad).toEqual({
      code: 1,
      stdout: '',
      stderr: "NOT_FOUND: environment 'nope' not found in app\n",
    })
  })

  it('reads TRESOR_PROJECT and TRESOR_ENV, and says what is missing', async () => {
    const [viaEnv, noEnv] = await Promise.all([
      cli.tresor(['config:get', 'WHERE'], {
        env: { TRESOR_PROJECT: 'app', TRESOR_ENV: 'staging' },
      }),
      cli.tresor(['config'], { env: { TRESOR_PROJECT: 'app' }, cwd: tempDir() }),
    ])
    expect(viaEnv.stdout).toBe('linked')
    expect(noEnv).toEqual({
      code: 2,
      stdout: '',
      stderr:
        'error: no environment: pass -e ENV, set TRESOR_ENV, or run tresor link -e ENV\n(see tresor config --help)\n',
    })
  })
})
