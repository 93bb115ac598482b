import { Command, CommanderError } from 'commander'

/** What the CLI needs from the process; the composition root passes the real ones. */
export interface CliIo {
  argv: string[]
  version: string
  stdout: (text: string) => void
  stderr: (text: string) => void
}

/**
 * Builds the command table and runs it. Each verb's implementation is imported lazily so that
 * client verbs never load server code. Returns the process exit code.
 */
export async function runCli(io: CliIo): Promise<number> {
  const program = new Command('tresor')
    .description('Environment variables and secrets for deployed apps')
    .version(io.version, '-v, --version')
    .showSuggestionAfterError(true)
    .exitOverride()
    .configureOutput({ writeOut: io.stdout, writeErr: io.stderr })
    .addHelpText(
      'after',
      '\nExamples:\n  tresor server                 start the server (SQLite in ./.tresor)\n',
    )
  try {
    await program.parseAsync(io.argv, { from: 'user' })
    return 0
  } catch (err) {
    if (err instanceof CommanderError) return err.exitCode === 0 ? 0 : 2
    throw err
  }
}
