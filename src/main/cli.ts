// Composition root of the `tresor` binary. Kept tiny: `--version` answers before anything loads.
const argv = process.argv.slice(2)
const version = __TRESOR_VERSION__
const io = {
  stdout: (t: string) => process.stdout.write(t),
  stderr: (t: string) => process.stderr.write(t),
}

if (argv.length === 1 && (argv[0] === '--version' || argv[0] === '-v')) {
  process.stdout.write(`${version}\n`)
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
} else {
  const { runCli } = await import('../cli/main.ts')
  try {
    process.exitCode = await runCli({ argv, version, ...io })
  } catch (err) {
    // One top-level catch: never a stack trace (it could carry a value) on the user's screen.
    const message = err instanceof Error ? err.message : 'unexpected failure'
    process.stderr.write(`INTERNAL: ${message}\n`)
    process.exitCode = 1
  }
}
