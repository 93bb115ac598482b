import { execFileSync, spawnSync } from 'node:child_process'
import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { parse as parseYaml } from 'yaml'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import {
  bin,
  cliFor,
  ensureBuilt,
  startServer,
  tempDir,
  type TestServer,
  removeTempDirs,
} from './helpers.ts'

const CANARY = 'canary-import-export-secret-0123456789'

// Values that trip up naive writers and readers: quotes, `$`, `#`, edges of whitespace, lines.
const CONFIG: Array<[string, string]> = [
  ['PLAIN', 'simple'],
  ['SPACES', '  padded value  '],
  ['QUOTES', `it's "quoted" \`here\``],
  ['DOLLAR', 'pa$$word ${HOME} $(whoami)'],
  ['HASH', 'a # not a comment'],
  ['MULTI', 'line1\nline2\n'],
  ['EMPTY', ''],
  ['UNICODE', 'héllo wörld ✓ 日本'],
  ['BACKSLASH', 'C:\\path\\n'],
  ['TEMPLATE', '${{PLAIN}}-x'],
]

// eslint-disable-next-line no-control-regex
const stripAnsi = (s: string) => s.replace(/\u001b\[\d+m/g, '')

let server: TestServer
let cli: ReturnType<typeof cliFor>
let dir: string
const dev = ['-p', 'web', '-e', 'development']
const stg = ['-p', 'web', '-e', 'staging']

async function configOf(args: string[]): Promise<Array<[string, string, string | undefined]>> {
  const run = await cli.tresor(['config', ...args, '--json'])
  const body = JSON.parse(run.stdout) as {
    vars: Array<{ key: string; kind: string; value?: string }>
  }
  return body.vars.map((v) => [v.key, v.kind, v.value])
}

beforeAll(async () => {
  ensureBuilt()
  server = await startServer()
  dir = tempDir()
  cli = cliFor(server, dir)
  await cli.tresor(['projects:create', 'web'])
  const set = await cli.tresor(['config:set', ...CONFIG.map(([k, v]) => `${k}=${v}`), ...dev])
  expect(set.code).toBe(0)
  await cli.tresor(['secrets:set', 'DB_PASSWORD', ...dev], { input: CANARY })
})
afterAll(async () => {
  await server.stop()
  removeTempDirs()
})

describe('config:export', () => {
  it('writes config only, in every format, on stdout', async () => {
    const formats = ['dotenv', 'shell', 'json', 'yaml', 'systemd', 'k8s', 'kamal']
    const runs = await Promise.all(
      formats.map((f) => cli.tresor(['config:export', '--format', f, ...dev])),
    )
    runs.forEach((run, i) => {
      expect(run.code, formats[i]).toBe(0)
      expect(run.stdout, formats[i]).not.toContain('DB_PASSWORD')
      expect(run.stderr, formats[i]).toBe('1 secret not exported (config only).\n')
    })
    const expected = Object.fromEntries(CONFIG)
    expect(JSON.parse(runs[2]?.stdout ?? '')).toEqual(expected)
    expect(parseYaml(runs[3]?.stdout ?? '')).toEqual(expected)
    expect(runs[5]?.stdout).toContain('  name: "web-development"\n')
  })

  it('names the keys a format cannot carry, never their values, and writes nothing', async () => {
    const run = await cli.tresor(['config:export', '--format', 'docker', ...dev])
    expect(run).toEqual({
      code: 1,
      stdout: '',
      stderr:
        'UNREPRESENTABLE_VALUE: 1 variable cannot be exported as docker --env-file\n' +
        '  MULTI: cannot be exported as docker --env-file: the value spans several lines; docker reads one line each\n',
    })
  })

  it('writes a shell file that bash reads back exactly', async () => {
    const run = await cli.tresor(['config:export', '--format', 'shell', ...dev])
    const file = join(dir, 'vars.sh')
    writeFileSync(file, run.stdout)
    const dump = `process.stdout.write(JSON.stringify(${JSON.stringify(CONFIG.map(([k]) => k))}.map((k) => [k, process.env[k]])))`
    const out = execFileSync('bash', ['-c', `. "$1" && node -e "$2"`, 'bash', file, dump], {
      encoding: 'utf8',
    })
    expect(JSON.parse(out)).toEqual(CONFIG)
  })

  it('refuses an unknown format with exit 2', async () => {
    const run = await cli.tresor(['config:export', '--format', 'xml', ...dev])
    expect(run.code).toBe(2)
    expect(run.stderr).toContain(
      'error: --format must be one of dotenv, shell, json, yaml, docker, systemd, k8s, kamal\n',
    )
  })
})

describe('config:import', () => {
  it('round-trips config:export | config:import - onto another environment exactly', async () => {
    const shell = `node "${bin}" config:export ${dev.join(' ')} | node "${bin}" config:import - ${stg.join(' ')} --yes`
    const out = spawnSync('sh', ['-c', shell], { env: cli.env(), encoding: 'utf8', cwd: dir })
    expect(out.status).toBe(0)
    expect(out.stdout).toBe('')
    expect(out.stderr).toMatch(
      /Imported into web\/staging: revision 1; redeploy required to take effect\.\n$/,
    )
    expect(out.stderr).not.toContain('DB_PASSWORD')
    expect(await configOf(stg)).toEqual(CONFIG.map(([k, v]) => [k, 'config', v]))
  })

  it('says so when the file changes nothing', async () => {
    const run = await cli.tresor(['config:export', ...dev])
    const again = await cli.tresor(['config:import', '-', ...stg], { input: run.stdout })
    expect(again).toEqual({ code: 0, stdout: '', stderr: 'Nothing to change in web/staging.\n' })
  })

  it('needs --yes when it cannot ask', async () => {
    const run = await cli.tresor(['config:import', '-', ...stg], { input: 'NEW=1\n' })
    expect(run.code).toBe(2)
    expect(run.stderr).toBe(
      'Changes to web/staging:\n  + NEW=1\nerror: this change needs confirmation: run it in a terminal or pass --yes\n(see tresor config:import --help)\n',
    )
    expect((await configOf(stg)).map(([k]) => k)).not.toContain('NEW')
  })

  it('shows the masked diff on a terminal and applies only after yes', async () => {
    const file = join(dir, 'change.env')
    writeFileSync(file, `PLAIN=changed\nADDED=new value\nTOKEN=${CANARY}-x # secret\n`)
    const no = cli.inPty(['config:import', file, ...stg], [['[y/N] ', 'n\r']])
    expect(no.code).toBe(1)
    // Colour on a terminal: green additions, yellow changes.
    expect(no.output).toContain('\u001b[32m+ ADDED=new value\u001b[39m')
    expect(stripAnsi(no.output)).toContain(
      'Changes to web/staging:\r\n  + ADDED=new value\r\n  + TOKEN (secret)\r\n  ~ PLAIN: simple → changed\r\n',
    )
    expect(stripAnsi(no.output)).toContain(
      'Apply 3 changes to web/staging? [y/N] n\r\nNothing changed.',
    )
    expect(no.output).not.toContain(CANARY)
    expect((await configOf(stg)).find(([k]) => k === 'PLAIN')?.[2]).toBe('simple')
    const yes = cli.inPty(['config:import', file, ...stg], [['[y/N] ', 'y\r']])
    expect(yes.code).toBe(0)
    expect(yes.output).toMatch(/Imported into web\/staging: revision \d+; redeploy required/)
    const now = await configOf(stg)
    expect(now.filter(([k]) => ['PLAIN', 'ADDED', 'TOKEN'].includes(k))).toEqual([
      ['PLAIN', 'config', 'changed'],
      ['ADDED', 'config', 'new value'],
      ['TOKEN', 'secret', undefined],
    ])
  })

  it('makes the environment exactly the file with --replace, listing what goes', async () => {
    const run = await cli.tresor(['config:import', '-', ...stg, '--replace', '--yes', '--json'], {
      input: '# only these\nPLAIN=one\nSECOND=two\n',
    })
    expect(run.code).toBe(0)
    const body = JSON.parse(run.stdout) as Record<string, unknown>
    expect(body).toMatchObject({ added: ['SECOND'], changed: ['PLAIN'] })
    expect(body.removed).toEqual(
      CONFIG.map(([k]) => k)
        .filter((k) => k !== 'PLAIN')
        .concat(['ADDED', 'TOKEN']),
    )
    expect(run.stderr).toContain('  - TOKEN (secret)\n')
    expect(await configOf(stg)).toEqual([
      ['PLAIN', 'config', 'one'],
      ['SECOND', 'config', 'two'],
    ])
  })

  it('refuses system variables and bad lines before asking, naming lines not values', async () => {
    const [reserved, bad, missing] = await Promise.all([
      cli.tresor(['config:import', '-', ...stg, '--yes'], { input: 'OK=1\nPORT=8080\n' }),
      cli.tresor(['config:import', '-', ...stg, '--yes'], { input: `OK=1\nBROKEN="${CANARY}\n` }),
      cli.tresor(['config:import', join(dir, 'nope.env'), ...stg, '--yes']),
    ])
    expect(reserved).toEqual({
      code: 1,
      stdout: '',
      stderr:
        'RESERVED_VARIABLE: the file sets system variables, which Tresor sets at each release; remove them\n  PORT, line 2: is a system variable\n',
    })
    expect(bad.code).toBe(1)
    expect(bad.stderr).toMatch(/^PARSE_ERROR: .*\n {2}(BROKEN, )?line 2: /)
    expect(bad.stderr).not.toContain(CANARY)
    expect(missing).toEqual({
      code: 1,
      stdout: '',
      stderr: `NOT_FOUND: cannot read ${join(dir, 'nope.env')}: no such file\n`,
    })
  })

  it('never shows the secret in any output', () => {
    for (const { args, run } of cli.runs) {
      expect(run.stdout + run.stderr, args.join(' ')).not.toContain(CANARY)
    }
  })
})
