import { parseVerbArgs } from './argv.ts'
import { createContext } from './context.ts'
import { describeError, UsageError } from './errors.ts'
import { programHelp, verbHelp } from './help.ts'
import { render } from './output.ts'
import type { CliIo, VerbSpec } from './spec.ts'
import { suggestion } from './suggest.ts'
import { VERBS } from './table/index.ts'

export type { CliIo } from './spec.ts'

const HELP = new Set(['-h', '--help', 'help'])

function findVerb(name: string): VerbSpec {
  const spec = VERBS.find((v) => v.name === name)
  if (spec !== undefined) return spec
  if (name.startsWith('-'))
    throw new UsageError(
      `unknown option '${name}'`,
      '(options go after the command: tresor <command> [options])',
    )
  throw new UsageError(
    `unknown command '${name}'`,
    suggestion(
      name,
      VERBS.map((v) => v.name),
    ),
  )
}

// `tresor`, `tresor --help`, `tresor help [verb]`, `tresor --version`: no verb to run.
function topLevel(io: CliIo): number | undefined {
  const [first, second] = io.argv
  if (first === undefined) {
    io.stderr(programHelp(VERBS))
    return 2
  }
  if (first === '-v' || first === '--version') {
    io.stdout(`${io.version}\n`)
    return 0
  }
  if (!HELP.has(first)) return undefined
  io.stdout(
    second === undefined || first !== 'help' ? programHelp(VERBS) : verbHelp(findVerb(second)),
  )
  return 0
}

async function runVerb(io: CliIo, spec: VerbSpec): Promise<number> {
  const { args, flags, help } = parseVerbArgs(spec, io.argv.slice(1))
  if (help) {
    io.stdout(verbHelp(spec))
    return 0
  }
  const verb = await spec.load()
  return render(await verb(createContext(spec.name, args, flags, io)), flags, io)
}

/**
 * Runs the command table. Each verb's implementation is imported lazily so that client verbs
 * never load server code. Returns the process exit code: 0 ok, 1 failed, 2 bad usage.
 */
export async function runCli(io: CliIo): Promise<number> {
  let verb = ''
  try {
    const done = topLevel(io)
    if (done !== undefined) return done
    const spec = findVerb(io.argv[0] ?? '')
    verb = spec.name
    return await runVerb(io, spec)
  } catch (err) {
    const { text, exitCode } = describeError(err, verb)
    io.stderr(text)
    return exitCode
  }
}
