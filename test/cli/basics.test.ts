import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { createServer } from 'node:net'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { runCli } from '../../src/cli/main.ts'
import { cliFor, ensureBuilt, removeTempDirs, root, tempDir } from './helpers.ts'

// Every verb of the table, as `tresor --help` lists them.
const VERBS = [
  'login',
  'logout',
  'whoami',
  'link',
  'projects',
  'projects:create',
  'envs',
  'envs:create',
  'config',
  'config:set',
  'config:get',
  'config:unset',
  'config:export',
  'config:import',
  'secrets',
  'secrets:set',
  'secrets:get',
  'secrets:unset',
  'secrets:rotate',
  'vars',
  'history',
  'diff',
  'run',
  'deploy',
  'releases',
  'rollback',
  'status',
  'previews',
  'previews:create',
  'previews:delete',
  'promote',
  'export',
  'kamal:init',
  'scan',
  'addons',
  'addons:attach',
  'addons:rotate',
  'addons:detach',
  'tokens',
  'tokens:create',
  'tokens:revoke',
  'members',
  'members:add',
  'members:update',
  'audit',
  'server',
  'keys:rotate-root',
  'mcp',
]

async function helpOf(verb: string): Promise<{ code: number; out: string }> {
  let out = ''
  const code = await runCli({
    argv: [verb, '--help'],
    version: '0.1.0',
    stdout: (t) => (out += t),
    stderr: (t) => (out += t),
    stdin: process.stdin,
    env: {},
    cwd: home,
    home,
    stdoutIsTTY: false,
    stderrIsTTY: false,
  })
  return { code, out }
}

const home = tempDir()
const { tresor } = cliFor(undefined, home)

beforeAll(() => ensureBuilt())
afterAll(() => removeTempDirs())

describe('tresor without a server', () => {
  it('prints the version and exits 0', async () => {
    const run = await tresor(['--version'])
    expect(run).toEqual({ code: 0, stdout: '0.1.0\n', stderr: '' })
  })

  it('lists every verb in --help, on stdout', async () => {
    const run = await tresor(['--help'])
    expect(run.code).toBe(0)
    const listed = [...run.stdout.matchAll(/^ {2}([a-z][a-z:-]*) /gm)].map((m) => m[1])
    expect(listed.filter((v) => v !== 'help')).toEqual(VERBS)
  })

  it('gives every verb a --help with an example of that verb', async () => {
    // In process (the same runCli the binary runs): 27 spawns would cost seconds for static text.
    const texts = await Promise.all(VERBS.map((v) => helpOf(v)))
    texts.forEach(({ code, out }, i) => {
      expect(code, VERBS[i]).toBe(0)
      expect(out, VERBS[i]).toContain(`Usage: tresor ${VERBS[i]} `)
      expect(out, VERBS[i]).toMatch(new RegExp(`Examples:\\n {2}\\$ tresor ${VERBS[i]}[ \\n]`))
    })
    const spawned = await tresor(['config:set', '--help'])
    expect(spawned.stdout).toBe(texts[VERBS.indexOf('config:set')]?.out)
  })

  it('suggests the nearest verb on a typo and exits 2', async () => {
    const [typo, colon] = await Promise.all([tresor(['confg']), tresor(['secrets:st', 'X'])])
    expect(typo).toEqual({
      code: 2,
      stdout: '',
      stderr: "error: unknown command 'confg'\n(Did you mean config?)\n(see tresor --help)\n",
    })
    expect(colon.code).toBe(2)
    expect(colon.stderr).toContain('(Did you mean secrets:set?)')
  })

  it('exits 2 on bad usage, pointing at the verb help', async () => {
    const [missing, unknown, pair] = await Promise.all([
      tresor(['config:get']),
      tresor(['config', '--jsn']),
      tresor(['config:set', 'NOPE', '-p', 'a', '-e', 'b'], {
        env: { TRESOR_URL: 'http://127.0.0.1:9' },
      }),
    ])
    expect(missing.code).toBe(2)
    expect(missing.stderr).toContain("error: missing required argument 'key'")
    expect(unknown.code).toBe(2)
    expect(unknown.stderr).toContain("error: unknown option '--jsn'\n(Did you mean --json?)")
    // The argument is not echoed: it might be a value typed in the wrong place.
    expect(pair).toEqual({
      code: 2,
      stdout: '',
      stderr: 'error: argument 1 is not KEY=VALUE\n(see tresor config:set --help)\n',
    })
  })

  it('says how to configure a server when none is set', async () => {
    const run = await tresor(['projects'])
    expect(run.code).toBe(2)
    expect(run.stderr).toBe(
      'error: no Tresor server: set TRESOR_URL and TRESOR_TOKEN, or run tresor login --url URL\n(see tresor projects --help)\n',
    )
  })

  it('prints one clear line when the server is down, exit 1, no stack', async () => {
    const port = await new Promise<number>((resolve) => {
      const s = createServer().listen(0, '127.0.0.1', () => {
        const p = (s.address() as { port: number }).port
        s.close(() => resolve(p))
      })
    })
    const url = `http://127.0.0.1:${port}`
    const run = await tresor(['config', '-p', 'a', '-e', 'b'], {
      env: { TRESOR_URL: url, TRESOR_TOKEN: 'tresor_pat_whatever' },
    })
    expect(run).toEqual({
      code: 1,
      stdout: '',
      stderr: `UNAVAILABLE: cannot reach the Tresor server at ${url} (connection refused; is the server running?)\n`,
    })
  })

  it('refuses a server URL carrying a password without echoing it', async () => {
    const run = await tresor(['projects'], {
      env: { TRESOR_URL: 'http://user:hunter2hunter2@127.0.0.1:9', TRESOR_TOKEN: 'x' },
    })
    expect(run.code).toBe(1)
    expect(run.stderr).toBe(
      'BAD_REQUEST: the server URL must not contain a user name or password\n',
    )
  })
})

interface Meta {
  outputs: Record<
    string,
    {
      entryPoint?: string
      imports: Array<{ path: string; kind: string; external?: boolean }>
      inputs: Record<string, unknown>
    }
  >
}

describe('the bundle', () => {
  it('never loads server code or server packages for a client verb', () => {
    const meta = JSON.parse(readFileSync(join(root, 'dist/meta.json'), 'utf8')) as Meta
    const outputs = meta.outputs
    // Everything a chunk loads before running: its static imports, transitively.
    const closure = (start: string) => {
      const seen = new Set<string>([start])
      const todo = [start]
      while (todo.length > 0) {
        for (const imp of outputs[todo.pop() ?? '']?.imports ?? []) {
          if (imp.kind !== 'import-statement' || seen.has(imp.path)) continue
          seen.add(imp.path)
          if (imp.external !== true) todo.push(imp.path)
        }
      }
      return seen
    }
    const entries = Object.entries(outputs).filter(([, o]) => o.entryPoint?.startsWith('src/cli/'))
    const verbChunks = entries.filter(([, o]) => o.entryPoint?.startsWith('src/cli/commands/'))
    expect(verbChunks.length).toBeGreaterThanOrEqual(10)
    for (const [chunk] of entries) {
      const loaded = [...closure(chunk)]
      const sources = loaded.flatMap((c) => Object.keys(outputs[c]?.inputs ?? {}))
      expect(
        sources.filter((s) => /^src\/(http|services|storage|crypto|config|main)\//.test(s)),
        chunk,
      ).toEqual([])
      expect(
        loaded.filter((p) =>
          /^(fastify|@fastify|kysely|better-sqlite3|pg|pino|zod|undici|commander)/.test(p),
        ),
        chunk,
      ).toEqual([])
    }
  })
})
