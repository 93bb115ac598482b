import { execFile, execFileSync, spawn } from 'node:child_process'
import { existsSync, mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

export const root = new URL('../../', import.meta.url).pathname
export const bin = join(root, 'bin/tresor.js')
/** The owner token of every test server (TRESOR_BOOTSTRAP_TOKEN). */
export const OWNER_TOKEN = 'tresor_test_owner_token_for_the_cli_suite_0001'

export interface Run {
  code: number | null
  stdout: string
  stderr: string
}

function newestSource(dir: string): number {
  return readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((e) => e.isFile() && e.name.endsWith('.ts'))
    .map((e) => statSync(join(e.parentPath, e.name)).mtimeMs)
    .reduce((a, b) => Math.max(a, b), 0)
}

/** Builds dist/ when a source is newer than the bundle (`npm test` builds first anyway). */
export function ensureBuilt(): void {
  const bundle = join(root, 'dist/meta.json')
  const built = existsSync(bundle) ? statSync(bundle).mtimeMs : 0
  if (newestSource(join(root, 'src')) > built)
    execFileSync('node', [join(root, 'scripts/build.mjs')], { cwd: root })
}

/** The test process's environment without anything Tresor or colour related. */
export function cleanEnv(home: string): Record<string, string> {
  const env: Record<string, string> = {}
  for (const [k, v] of Object.entries(process.env)) {
    if (v === undefined || k.startsWith('TRESOR_') || k === 'XDG_CONFIG_HOME') continue
    if (k === 'NO_COLOR' || k === 'FORCE_COLOR') continue
    env[k] = v
  }
  return { ...env, HOME: home }
}

export interface TestServer {
  url: string
  stop: () => Promise<void>
}

/** A real `tresor server` on port 0 with a temp data dir and the bootstrap owner token. */
export async function startServer(extraEnv: Record<string, string> = {}): Promise<TestServer> {
  const dataDir = mkdtempSync(join(tmpdir(), 'tresor-cli-data-'))
  const child = spawn('node', [bin, 'server', '--port', '0', '--data-dir', dataDir], {
    env: {
      ...cleanEnv(dataDir),
      TRESOR_BOOTSTRAP_TOKEN: OWNER_TOKEN,
      TRESOR_LOG_LEVEL: 'warn',
      ...extraEnv,
    },
    stdio: ['ignore', 'pipe', 'ignore'],
  })
  const exited = new Promise<void>((resolve) => child.on('close', () => resolve()))
  const url = await new Promise<string>((resolve, reject) => {
    let out = ''
    child.stdout.on('data', (d: Buffer) => {
      out += d.toString()
      const m = /Tresor listening on (http:\/\/\S+)\n/.exec(out)
      if (m?.[1]) resolve(m[1])
    })
    child.on('close', () => reject(new Error('the server exited before listening')))
  })
  return {
    url,
    stop: async () => {
      child.kill('SIGTERM')
      await exited
      rmSync(dataDir, { recursive: true, force: true })
    },
  }
}

export interface CliOptions {
  env?: Record<string, string>
  input?: string
  cwd?: string
}

/** A CLI harness bound to one server and one temp HOME; records every run for leak checks. */
export function cliFor(server: { url: string } | undefined, home: string) {
  const runs: Array<{ args: string[]; run: Run }> = []
  const baseEnv = (extra: Record<string, string> = {}) => ({
    ...cleanEnv(home),
    ...(server === undefined ? {} : { TRESOR_URL: server.url, TRESOR_TOKEN: OWNER_TOKEN }),
    ...extra,
  })
  function tresor(args: string[], opts: CliOptions = {}): Promise<Run> {
    return new Promise((resolve) => {
      const child = execFile(
        'node',
        [bin, ...args],
        { env: baseEnv(opts.env), cwd: opts.cwd ?? home, encoding: 'utf8', maxBuffer: 1 << 24 },
        (err, stdout, stderr) => {
          const code = err === null ? 0 : typeof err.code === 'number' ? err.code : null
          const run = { code, stdout, stderr }
          runs.push({ args, run })
          resolve(run)
        },
      )
      child.stdin?.end(opts.input ?? '')
    })
  }
  /** Runs in a pseudo-terminal, typing `steps[i][1]` once `steps[i][0]` shows. */
  function inPty(
    args: string[],
    steps: Array<[string, string]>,
    opts: CliOptions = {},
  ): { code: number; output: string } {
    const spec = {
      argv: ['node', bin, ...args],
      env: { ...baseEnv(opts.env), TERM: 'xterm' },
      cwd: opts.cwd ?? home,
      steps,
    }
    const out = execFileSync('python3', [join(root, 'test/cli/pty-run.py'), JSON.stringify(spec)], {
      encoding: 'utf8',
    })
    const result = JSON.parse(out) as { code: number; output: string }
    runs.push({ args, run: { code: result.code, stdout: result.output, stderr: '' } })
    return result
  }
  return { tresor, inPty, runs, env: baseEnv }
}

const made: string[] = []

/** A fresh temp directory (used as HOME and as working directories); see removeTempDirs. */
export function tempDir(prefix = 'tresor-cli-'): string {
  const dir = mkdtempSync(join(tmpdir(), prefix))
  made.push(dir)
  return dir
}

/** Removes every directory tempDir made in this test file. */
export function removeTempDirs(): void {
  for (const dir of made.splice(0)) rmSync(dir, { recursive: true, force: true })
}
