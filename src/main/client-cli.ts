// Composition root of the client verbs (everything but `server`, `keys:rotate-root` and `mcp`).
// Bundled on its own as dist/cli-client.js, a plain script that bin/tresor.js compiles with a V8
// code cache (see scripts/build.mjs): no ESM loader and no parse of the bundle at start-up.
import { isatty } from 'node:tty'
import { homedir } from 'node:os'
import { runCli } from '../cli/main.ts'

// Created on first write: building process.stdout costs a short-lived process more than most
// verbs' work, and `tresor run` never writes to it. `tresor config | head -1` closes the pipe
// early: that is not an error worth a stack trace.
let stdoutReady = false
function stdout(): NodeJS.WriteStream {
  if (!stdoutReady) {
    stdoutReady = true
    process.stdout.on('error', (err: NodeJS.ErrnoException) => {
      if (err.code === 'EPIPE') process.exit(process.exitCode ?? 0)
      throw err
    })
  }
  return process.stdout
}

/** Runs one client verb with this process's arguments and streams; resolves to its exit code. */
export async function runClientCli(argv: string[], version: string): Promise<number> {
  try {
    return await runCli({
      argv,
      version,
      stdout: (t: string) => stdout().write(t),
      stderr: (t: string) => process.stderr.write(t),
      // stdin is created on first use too: most runs never read it.
      get stdin() {
        return process.stdin
      },
      env: process.env,
      cwd: process.cwd(),
      home: homedir(),
      stdoutIsTTY: isatty(1),
      stderrIsTTY: isatty(2),
    })
  } catch (err) {
    // One top-level catch: never a stack trace (it could carry a value) on the user's screen.
    const message = err instanceof Error ? err.message : 'unexpected failure'
    process.stderr.write(`INTERNAL: ${message}\n`)
    return 1
  }
}

/** The bundle's entry: runs the verb of process.argv and sets the exit code. */
export function main(): void {
  void runClientCli(process.argv.slice(2), __TRESOR_VERSION__).then((code) => {
    process.exitCode = code
  })
}
