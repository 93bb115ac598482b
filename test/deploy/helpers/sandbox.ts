// One real Tresor server with project `myapp`, a release of `production`, a read+deploy token,
// and a PATH of fakes for what cannot run here; `runPage` runs a docs/deploy page in it.
import { spawn } from 'node:child_process'
import { chmodSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { expect } from 'vitest'
import { shellQuote } from '../../../src/core/export/shell.ts'
import {
  cleanEnv,
  cliFor,
  ensureBuilt,
  OWNER_TOKEN,
  root,
  startServer,
  tempDir,
  type TestServer,
} from '../../cli/helpers.ts'
import { docBlocks } from './docs.ts'
import { startFakeEngine, type FakeEngine } from './fake-docker-engine.ts'

export const CONFIG: [string, string][] = [
  ['RAILS_ENV', 'production'],
  ['RAILS_LOG_LEVEL', 'info'],
]
/** Values that break naive quoting in every target these pages cover (all single-line). */
export const SECRETS: [string, string][] = [
  ['RAILS_MASTER_KEY', '9f2c4e1d0b8a7c6e5f4d3c2b1a0f9e8d'],
  // Tresor's documents cannot hold all of ' " and ` in one value, and Kamal's dotenv cannot
  // hold both ' and $(: the hazards are spread over two values.
  ['DATABASE_PASSWORD', `p@ss $HOME "q" 'r' \\ # %0A =é ${'$'}{X}`],
  ['STRIPE_SECRET_KEY', 'sk_live_canary_0123456789abcdef$(id)`id`'],
]
/** What the fake `op read` answers. */
export const OP_VALUES: Record<string, string> = {
  'op://Deploy/registry/password': `reg-"pa$$word" it's`,
}

const TSX = join(root, 'node_modules/tsx/dist/loader.mjs')
const HELPERS = join(root, 'test/deploy/helpers')

function script(path: string, text: string): void {
  writeFileSync(path, text)
  chmodSync(path, 0o755)
}

function writeFakes(bin: string): void {
  script(join(bin, 'tresor'), `#!/bin/sh\nexec node ${join(root, 'bin/tresor.js')} "$@"\n`)
  for (const [name, file] of [
    ['kamal', 'fake-kamal.ts'],
    ['systemctl', 'fake-systemctl.ts'],
  ] as const)
    script(join(bin, name), `#!/bin/sh\nexec node --import ${TSX} ${join(HELPERS, file)} "$@"\n`)
  // sudo: drop its own options, run the command as this user.
  script(
    join(bin, 'sudo'),
    '#!/bin/sh\nwhile [ $# -gt 0 ]; do case "$1" in -*) shift;; *) break;; esac; done\nexec "$@"\n',
  )
  const cases = Object.entries(OP_VALUES)
    .map(([ref, value]) => `  ${shellQuote(ref)}) v=${shellQuote(value)} ;;`)
    .join('\n')
  script(
    join(bin, 'op'),
    [
      '#!/bin/sh',
      '# fake 1Password CLI: `op read [-n|--no-newline] REF` from a fixed table',
      'echo "$*" >> "${FAKE_OP_LOG:-/dev/null}"',
      '[ "$1" = read ] || { echo "[ERROR] fake op: only read" >&2; exit 1; }',
      'shift; nl=1',
      'case "$1" in -n|--no-newline) nl=0; shift;; esac',
      'case "$1" in',
      cases,
      `  *) echo "[ERROR] could not read secret: no item found" >&2; exit 1 ;;`,
      'esac',
      'if [ $nl = 1 ]; then printf "%s\\n" "$v"; else printf "%s" "$v"; fi',
      '',
    ].join('\n'),
  )
}

export interface Sandbox {
  server: TestServer
  engine: FakeEngine
  dir: string
  fakeRoot: string
  env: Record<string, string>
  /** The token the pages use (read + deploy on myapp). */
  token: string
  /** The latest release's environment as the server resolves it. */
  released: Map<string, string>
  api: (method: string, path: string, body?: unknown) => Promise<unknown>
  stop: () => Promise<void>
}

/** Starts the server, sets myapp/production, makes release 1 and a read+deploy token. */
export async function startSandbox(): Promise<Sandbox> {
  ensureBuilt()
  const server = await startServer()
  const dir = tempDir('tresor-deploy-')
  const owner = cliFor(server, dir)
  const api = async (method: string, path: string, body?: unknown) => {
    const res = await fetch(`${server.url}${path}`, {
      method,
      headers: { authorization: `Bearer ${OWNER_TOKEN}`, 'content-type': 'application/json' },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    })
    const json: unknown = await res.json()
    if (!res.ok) throw new Error(`${method} ${path}: ${res.status} ${JSON.stringify(json)}`)
    return json
  }
  const prod = ['-p', 'myapp', '-e', 'production']
  expect((await owner.tresor(['projects:create', 'myapp'])).code).toBe(0)
  expect(
    (await owner.tresor(['config:set', ...CONFIG.map(([k, v]) => `${k}=${v}`), ...prod])).code,
  ).toBe(0)
  for (const [k, v] of SECRETS)
    expect((await owner.tresor(['secrets:set', k, ...prod], { input: v })).code).toBe(0)
  await api('POST', '/v1/projects/myapp/environments/production/releases', {})
  const { token } = (await api('POST', '/v1/tokens', {
    name: 'docs',
    scopes: ['read', 'deploy'],
    project: 'myapp',
  })) as { token: string }
  const { env } = (await api(
    'GET',
    '/v1/projects/myapp/environments/production/releases/latest/env',
  )) as {
    env: Record<string, string>
  }
  const bin = join(dir, 'bin')
  mkdirSync(bin)
  writeFakes(bin)
  const fakeRoot = join(dir, 'root')
  const home = join(dir, 'home')
  mkdirSync(home)
  const path = `${bin}:${process.env.PATH ?? ''}`
  const engine = await startFakeEngine({
    dir,
    workdir: join(dir, 'work'),
    baseEnv: { PATH: path, HOME: home },
  })
  const envFor = {
    ...cleanEnv(home),
    PATH: path,
    TRESOR_URL: server.url,
    TRESOR_TOKEN: token,
    DOCKER_HOST: engine.host,
    FAKE_ROOT: fakeRoot,
    FAKE_OP_LOG: join(dir, 'op.log'),
    FAKE_KAMAL_RECORD: join(dir, 'kamal-record.json'),
    FAKE_SYSTEMCTL_RECORD: join(dir, 'systemctl-record.json'),
  }
  return {
    server,
    engine,
    dir,
    fakeRoot,
    env: envFor,
    token,
    released: new Map(Object.entries(env)),
    api,
    stop: async () => {
      await engine.stop()
      await server.stop()
    },
  }
}

export interface ShellRun {
  command: string
  code: number | null
  stdout: string
  stderr: string
}

/** `/etc/…` of a page, moved under the sandbox's fake root. */
export const underRoot = (sb: Sandbox, text: string) =>
  text.replaceAll('/etc/', `${sb.fakeRoot}/etc/`)

/** Runs `command` with bash, asynchronously: the fake engine answers in this same process. */
export function bash(command: string, cwd: string, env: Record<string, string>): Promise<ShellRun> {
  return new Promise((resolve) => {
    const child = spawn('bash', ['-euo', 'pipefail', '-c', command], { cwd, env })
    let stdout = ''
    let stderr = ''
    child.stdout.on('data', (b: Buffer) => (stdout += b.toString()))
    child.stderr.on('data', (b: Buffer) => (stderr += b.toString()))
    child.stdin.end()
    child.on('close', (code) => resolve({ command, code, stdout, stderr }))
  })
}

/**
 * Runs a docs/deploy page in `cwd`: writes its `file=` blocks, runs its `sh` blocks with bash
 * (`set -euo pipefail`), and checks each `output=` block against what the commands produced.
 */
export async function runPage(
  sb: Sandbox,
  page: string,
  cwd: string,
  extraEnv: Record<string, string> = {},
): Promise<ShellRun[]> {
  const runs: ShellRun[] = []
  mkdirSync(cwd, { recursive: true })
  for (const block of docBlocks(page)) {
    const where = `${page}:${block.line}`
    if (block.file !== undefined) {
      const target = block.file.startsWith('/') ? underRoot(sb, block.file) : join(cwd, block.file)
      mkdirSync(dirname(target), { recursive: true })
      writeFileSync(target, block.text)
    } else if (block.lang === 'sh') {
      const r = await bash(underRoot(sb, block.text), cwd, { ...sb.env, ...extraEnv })
      runs.push({ ...r, command: block.text })
      expect(r.code, `${where} failed:\n${block.text}\n${r.stderr}`).toBe(0)
    } else if (block.output === 'stdout') {
      expect(runs.at(-1)?.stdout, `${where}: stdout of the block before`).toBe(block.text)
    } else if (block.output !== undefined) {
      expect(readFileSync(join(cwd, block.output), 'utf8'), `${where}: ${block.output}`).toBe(
        block.text,
      )
    }
  }
  return runs
}
