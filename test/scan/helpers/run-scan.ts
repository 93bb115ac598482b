// Runs the `tresor scan` verb the way the CLI does (context, verb, renderer, error mapping) with
// captured output, until the command table registers it. Also runnable as a stand-in `tresor`
// binary for git hooks: `node --import tsx run-scan.ts scan --staged`.
import { Readable } from 'node:stream'
import { pathToFileURL } from 'node:url'
import { createContext } from '../../../src/cli/context.ts'
import { describeError } from '../../../src/cli/errors.ts'
import { render } from '../../../src/cli/output.ts'
import type { CliIo } from '../../../src/cli/spec.ts'
import { scanCommand, type ScanFlags } from '../../../src/cli/commands/scan.ts'

export interface ScanRun {
  code: number
  stdout: string
  stderr: string
}

/** `tresor scan ARGS` with these flags, in `cwd`, with exactly `env` as the environment. */
export async function runScan(
  args: string[],
  flags: ScanFlags,
  options: { cwd: string; env: Record<string, string> },
): Promise<ScanRun> {
  let stdout = ''
  let stderr = ''
  const io: CliIo = {
    argv: ['scan', ...args],
    version: '0.0.0-test',
    stdout: (s) => void (stdout += s),
    stderr: (s) => void (stderr += s),
    stdin: Readable.from([]),
    env: options.env,
    cwd: options.cwd,
    home: options.cwd,
    stdoutIsTTY: false,
    stderrIsTTY: false,
  }
  try {
    const ctx = createContext('scan', args, flags, io)
    const code = render(await scanCommand(ctx), flags, io)
    return { code, stdout, stderr }
  } catch (err) {
    const { text, exitCode } = describeError(err, 'scan')
    return { code: exitCode, stdout, stderr: stderr + text }
  }
}

function parseArgv(argv: string[]): { args: string[]; flags: ScanFlags } {
  const flags: ScanFlags = {}
  const args: string[] = []
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i] ?? ''
    if (a === '--staged') flags.staged = true
    else if (a === '--offline') flags.offline = true
    else if (a === '--format') flags.format = argv[++i] ?? ''
    else args.push(a)
  }
  return { args, flags }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const [, ...rest] = process.argv.slice(2) // drop the verb
  const { args, flags } = parseArgv(rest)
  const env = Object.fromEntries(Object.entries(process.env).filter(([, v]) => v !== undefined))
  const out = await runScan(args, flags, { cwd: process.cwd(), env: env as Record<string, string> })
  process.stdout.write(out.stdout)
  process.stderr.write(out.stderr)
  process.exitCode = out.code
}
