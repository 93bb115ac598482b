// Composition root of the `tresor` binary. Kept tiny: `--version` answers before anything loads.
const argv = process.argv.slice(2)
const version = __TRESOR_VERSION__

if (argv.length === 1 && (argv[0] === '--version' || argv[0] === '-v')) {
  process.stdout.write(`${version}\n`)
} else {
  const { runCli } = await import('../cli/main.ts')
  try {
    process.exitCode = await runCli({
      argv,
      version,
      stdout: (t) => process.stdout.write(t),
      stderr: (t) => process.stderr.write(t),
    })
  } catch (err) {
    // One top-level catch: never a stack trace (it could carry a value) on the user's screen.
    const message = err instanceof Error ? err.message : 'unexpected failure'
    process.stderr.write(`INTERNAL: ${message}\n`)
    process.exitCode = 1
  }
}
