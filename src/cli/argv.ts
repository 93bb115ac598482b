import { UsageError } from './errors.ts'
import type { Flags, VerbSpec } from './spec.ts'
import { suggestion } from './suggest.ts'

/** One option a verb accepts: `-p, --project <project>` gives short `p`, long `project`. */
export interface OptionDef {
  short?: string
  long: string
  /** The placeholder of a value (`<project>`); undefined for a boolean flag. */
  value?: string
  description: string
  repeatable?: boolean
}

/** Reads `-p, --project <project>` into its parts. */
export function optionDef(flags: string, description: string, repeatable = false): OptionDef {
  const m = /^(?:-([a-zA-Z]), )?--([a-z][a-z-]*)(?: (<[^>]+>))?$/.exec(flags)
  if (!m?.[2]) throw new Error(`bad option syntax ${flags}`)
  return {
    long: m[2],
    description,
    ...(m[1] === undefined ? {} : { short: m[1] }),
    ...(m[3] === undefined ? {} : { value: m[3] }),
    ...(repeatable ? { repeatable } : {}),
  }
}

/** Every option of a verb: its own, the target ones it takes, and those every verb has. */
export function optionsOf(spec: VerbSpec): OptionDef[] {
  const out: OptionDef[] = []
  if (spec.target !== undefined)
    out.push(
      optionDef(
        '-p, --project <project>',
        'project slug or id (default: TRESOR_PROJECT, .tresor.json)',
      ),
    )
  if (spec.target === 'env')
    out.push(
      optionDef('-e, --env <env>', 'environment slug or id (default: TRESOR_ENV, .tresor.json)'),
    )
  for (const o of spec.options ?? []) out.push(optionDef(o.flags, o.description, o.repeatable))
  if (spec.confirm === true) out.push(optionDef('-y, --yes', 'do not ask for confirmation'))
  if (spec.json !== false) out.push(optionDef('--json', 'print data as JSON (stable shapes)'))
  if (spec.local !== true) {
    out.push(optionDef('-q, --quiet', 'print data only, no messages'))
    out.push(optionDef('--url <url>', 'server URL (default: TRESOR_URL, then tresor login)'))
  }
  out.push(optionDef('-h, --help', 'show this help'))
  return out
}

const camel = (long: string) => long.replace(/-([a-z])/g, (_, c: string) => c.toUpperCase())

export interface ParsedArgs {
  args: string[]
  flags: Flags
  help: boolean
}

function setFlag(flags: Record<string, unknown>, o: OptionDef, value: string | true): void {
  const key = camel(o.long)
  if (o.repeatable === true) flags[key] = [...((flags[key] as string[] | undefined) ?? []), value]
  else flags[key] = value
}

function unknownOption(token: string, options: readonly OptionDef[]): UsageError {
  const name = token.split('=')[0] ?? token
  const hint = name.startsWith('--')
    ? suggestion(
        name,
        options.map((o) => `--${o.long}`),
      )
    : undefined
  return new UsageError(`unknown option '${name}'`, hint)
}

/** Parses a verb's arguments: options anywhere, `--` ends them, positionals checked by count. */
export function parseVerbArgs(spec: VerbSpec, argv: readonly string[]): ParsedArgs {
  const options = optionsOf(spec)
  const flags: Record<string, unknown> = {}
  const args: string[] = []
  for (let i = 0; i < argv.length; i++) {
    const token = argv[i] ?? ''
    if (token === '--') {
      args.push(...argv.slice(i + 1))
      break
    }
    if (token.startsWith('--')) {
      const eq = token.indexOf('=')
      const name = token.slice(2, eq === -1 ? undefined : eq)
      const o = options.find((x) => x.long === name)
      if (o === undefined) throw unknownOption(token, options)
      if (o.value === undefined) {
        if (eq !== -1) throw new UsageError(`option '--${o.long}' takes no value`)
        setFlag(flags, o, true)
      } else {
        const value = eq === -1 ? argv[++i] : token.slice(eq + 1)
        if (value === undefined)
          throw new UsageError(`option '--${o.long} ${o.value}' needs a value`)
        setFlag(flags, o, value)
      }
    } else if (token.startsWith('-') && token.length > 1) {
      i = parseShort(token, argv, i, options, flags)
    } else args.push(token)
  }
  const help = flags.help === true
  delete flags.help
  if (!help) checkArity(spec, args)
  return { args, flags, help }
}

// `-p app`, `-papp`, `-qy`: a cluster of booleans, or one value option taking the rest.
function parseShort(
  token: string,
  argv: readonly string[],
  i: number,
  options: readonly OptionDef[],
  flags: Record<string, unknown>,
): number {
  for (let c = 1; c < token.length; c++) {
    const o = options.find((x) => x.short === token[c])
    if (o === undefined) throw unknownOption(c === 1 ? token : `-${token[c] ?? ''}`, options)
    if (o.value === undefined) {
      setFlag(flags, o, true)
      continue
    }
    const rest = token.slice(c + 1)
    const value = rest !== '' ? rest : argv[i + 1]
    if (value === undefined)
      throw new UsageError(`option '-${o.short ?? ''}, --${o.long} ${o.value}' needs a value`)
    setFlag(flags, o, value)
    return rest !== '' ? i : i + 1
  }
  return i
}

function checkArity(spec: VerbSpec, args: readonly string[]): void {
  const declared = spec.args ?? []
  const variadic = declared.some((a) => a.endsWith('...>') || a.endsWith('...]'))
  for (let k = 0; k < declared.length; k++) {
    const a = declared[k] ?? ''
    if (a.startsWith('<') && args[k] === undefined)
      throw new UsageError(`missing required argument '${a.slice(1, -1).replace('...', '')}'`)
  }
  if (!variadic && args.length > declared.length) {
    const n = declared.length
    // The extra arguments are not echoed: a secret typed as one must not reach the screen again.
    throw new UsageError(
      `too many arguments: ${spec.name} takes ${n === 0 ? 'none' : n === 1 ? 'one' : n}`,
      spec.tooManyHint,
    )
  }
}
