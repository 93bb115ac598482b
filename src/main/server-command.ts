// `tresor server` as a process: flags and settings in, problems out, drain on SIGTERM.
import { parseArgs } from 'node:util'
import { parseServerConfig, type ServerConfig } from '../config/server-config.ts'
import { processIo, startServer, type RunningServer, type ServerIo } from './server.ts'

const LISTEN_ERRORS: Record<string, string> = {
  EADDRINUSE: 'is already in use',
  EACCES: 'needs privileges this process does not have',
  EADDRNOTAVAIL: 'is not an address of this machine',
}

function describeListenError(err: unknown, config: Readonly<ServerConfig>): string | undefined {
  const code = (err as { code?: unknown }).code
  const why = typeof code === 'string' ? LISTEN_ERRORS[code] : undefined
  return why && `cannot listen on ${config.host}:${config.port}: the address ${why}`
}

// Installed before listening, so that a SIGTERM arriving at any point after the listening line
// drains instead of killing the process; a second signal while draining exits at once.
function firstSignal(): Promise<NodeJS.Signals> {
  return new Promise((resolve) => {
    const onSignal = (signal: NodeJS.Signals) => {
      process.removeListener('SIGTERM', onSignal)
      process.removeListener('SIGINT', onSignal)
      process.once('SIGTERM', () => process.exit(1))
      process.once('SIGINT', () => process.exit(1))
      resolve(signal)
    }
    process.on('SIGTERM', onSignal)
    process.on('SIGINT', onSignal)
  })
}

async function drain(
  running: RunningServer,
  signal: NodeJS.Signals,
  io: ServerIo,
): Promise<number> {
  running.app.log.info({ signal }, 'shutting down')
  try {
    await running.close()
    return 0
  } catch (err) {
    io.stderr(`INTERNAL: shutdown failed: ${err instanceof Error ? err.message : 'unknown'}\n`)
    return 1
  }
}

/**
 * Runs `tresor server [--host H] [--port P] [--data-dir D]` until a signal: returns 1 after
 * printing every settings problem (one per line on stderr), 2 on unknown flags, else 0.
 */
export async function runServerCommand(
  args: string[],
  env: Record<string, string | undefined>,
  io: ServerIo = processIo,
): Promise<number> {
  let flags
  try {
    flags = parseArgs({
      args,
      options: {
        host: { type: 'string' },
        port: { type: 'string' },
        'data-dir': { type: 'string' },
      },
      strict: true,
      allowPositionals: false,
    }).values
  } catch (err) {
    io.stderr(
      `${err instanceof Error ? err.message : 'invalid arguments'} (see tresor server --help)\n`,
    )
    return 2
  }
  const parsed = parseServerConfig(env, {
    host: flags.host,
    port: flags.port,
    dataDir: flags['data-dir'],
  })
  if (!parsed.ok) {
    for (const p of parsed.problems) io.stderr(`${p.setting}: ${p.message}\n`)
    return 1
  }
  const signalled = firstSignal()
  let running: RunningServer
  try {
    running = await startServer(parsed.config, io)
  } catch (err) {
    const message = describeListenError(err, parsed.config)
    if (message === undefined) throw err
    io.stderr(`${message}\n`)
    return 1
  }
  return drain(running, await signalled, io)
}
