// Composition root of the `tresor` binary. Kept tiny: `--version` answers before anything loads.
import { writeSync } from 'node:fs'

const argv = process.argv.slice(2)
const version = __TRESOR_VERSION__
const io = {
  stdout: (t: string) => process.stdout.write(t),
  stderr: (t: string) => process.stderr.write(t),
}

/**
 * What a server-side verb that threw leaves on stderr: the error's code (SCHEMA_TOO_NEW,
 * CONFIG_INVALID, EACCES…; INTERNAL when it has none) and its message, never a stack trace.
 */
function failureLine(err: unknown): string {
  const code = err instanceof Error ? (err as Error & { code?: unknown }).code : undefined
  const named = typeof code === 'string' && /^[A-Z][A-Z0-9_]*$/.test(code) ? code : 'INTERNAL'
  return `${named}: ${err instanceof Error ? err.message : 'unexpected failure'}\n`
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
    process.stderr.write(failureLine(err))
    process.exitCode = 1
  }
} else if (argv[0] === 'keys:rotate-root' && !argv.includes('--help') && !argv.includes('-h')) {
  // Server-side like `server`: it opens the store and the key file, which cli/ may not import.
  const { runRotateRootCommand } = await import('./keys-command.ts')
  try {
    process.exitCode = await runRotateRootCommand(argv.slice(1), process.env, io)
  } catch (err) {
    process.stderr.write(failureLine(err))
    process.exitCode = 1
  }
} else if (argv[0] === 'mcp') {
  // Composed here like the server: the MCP server is its own adapter, not a CLI verb.
  const { runMcpCommand } = await import('./mcp.ts')
  try {
    process.exitCode = await runMcpCommand(argv.slice(1), process.env, version, io.stderr)
  } catch (err) {
    process.stderr.write(failureLine(err))
    process.exitCode = 1
  }
} else {
  // What bin/tresor.js runs from dist/cli-client.js; here for `node dist/cli.js` and tsx.
  const { runClientCli } = await import('./client-cli.ts')
  process.exitCode = await runClientCli(argv, version)
}
