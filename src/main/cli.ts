// Composition root of the `tresor` binary. Kept tiny: `--version` answers before anything loads.
import { writeSync } from 'node:fs'

const argv = process.argv.slice(2)
const version = __TRESOR_VERSION__
const io = {
  stdout: (t: string) => process.stdout.write(t),
  stderr: (t: string) => process.stderr.write(t),
}

// `tresor config | head -1` closes the pipe early: that is not an error worth a stack trace.
function quietOnEpipe(): void {
  process.stdout.on('error', (err: NodeJS.ErrnoException) => {
    if (err.code === 'EPIPE') process.exit(process.exitCode ?? 0)
    throw err
  })
}

if (argv.length === 1 && (argv[0] === '--version' || argv[0] === '-v')) {
  // A plain write to fd 1: creating process.stdout's stream costs more than the rest of this.
  writeSync(1, `${version}\n`)
} else if (argv[0] === 'server' && !argv.includes('--help') && !argv.includes('-h')) {
  // The server verb is composed here, not in cli/ (which may not import server code); its help
  // text still comes from the command table below.
  const { runServerCommand } = await import('./server-command.ts')
  try {
    process.exitCode = await runServerCommand(argv.slice(1), process.env, io)
  } catch (err) {
    process.stderr.write(`INTERNAL: ${err instanceof Error ? err.message : 'unexpected failure'}\n`)
    process.exitCode = 1
  }
} else if (argv[0] === 'keys:rotate-root' && !argv.includes('--help') && !argv.includes('-h')) {
  // Server-side like `server`: it opens the store and the key file, which cli/ may not import.
  const { runRotateRootCommand } = await import('./keys-command.ts')
  try {
    process.exitCode = await runRotateRootCommand(argv.slice(1), process.env, io)
  } catch (err) {
    process.stderr.write(`INTERNAL: ${err instanceof Error ? err.message : 'unexpected failure'}\n`)
    process.exitCode = 1
  }
} else if (argv[0] === 'mcp') {
  // Composed here like the server: the MCP server is its own adapter, not a CLI verb.
  const { runMcpCommand } = await import('./mcp.ts')
  try {
    process.exitCode = await runMcpCommand(argv.slice(1), process.env, version, io.stderr)
  } catch (err) {
    process.stderr.write(`INTERNAL: ${err instanceof Error ? err.message : 'unexpected failure'}\n`)
    process.exitCode = 1
  }
} else {
  quietOnEpipe()
  const [{ runCli }, { homedir }] = await Promise.all([import('../cli/main.ts'), import('node:os')])
  try {
    // stdin is created on first use: most runs never read it, and creating a stream costs a
    // short-lived process more than the work it does.
    process.exitCode = await runCli({
      argv,
      version,
      stdout: io.stdout,
      stderr: io.stderr,
      get stdin() {
        return process.stdin
      },
      env: process.env,
      cwd: process.cwd(),
      home: homedir(),
      stdoutIsTTY: process.stdout.isTTY === true,
      stderrIsTTY: process.stderr.isTTY === true,
    })
  } catch (err) {
    // One top-level catch: never a stack trace (it could carry a value) on the user's screen.
    const message = err instanceof Error ? err.message : 'unexpected failure'
    process.stderr.write(`INTERNAL: ${message}\n`)
    process.exitCode = 1
  }
}
