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
  // `tresor server` runs from the composition root (src/main/cli.ts) before this table is
  // built; it is declared here so that help lists it with its flags.
  program
    .command('server')
    .description('start the API server and print the URL it listens on')
    .option('--host <host>', 'listen address (TRESOR_HOST, default 127.0.0.1)')
    .option('--port <port>', 'listen port, 0 = any free port (TRESOR_PORT, default 7070)')
    .option('--data-dir <dir>', 'data directory (TRESOR_DATA_DIR, default ./.tresor)')
    .action(() => {
      throw new CommanderError(
        2,
        'tresor.server',
        'tresor server must be started by the tresor binary',
      )
    })
  try {
    await program.parseAsync(io.argv, { from: 'user' })
    return 0
  } catch (err) {
    if (err instanceof CommanderError) return err.exitCode === 0 ? 0 : 2
    throw err
  }
}
