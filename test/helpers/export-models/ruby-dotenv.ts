// A model of Ruby dotenv 3.2.0's `Dotenv::Parser` (lib/dotenv/parser.rb and substitutions/,
// research §1.4), for tests only: Ruby dotenv 3 cannot be installed here. Ruby's regexes are
// translated with Ruby's meanings: `\s` is [ \t\n\v\f\r], `\w` is ASCII, `^`/`$` are line anchors
// for LF only, `.` stops at LF. Both backtracking engines try alternatives in the same order.

const S = '[ \\t\\n\\v\\f\\r]'
const BOL = '(?:(?<=\\n)|(?<![\\s\\S]))'
const EOL = '(?=\\n|(?![\\s\\S]))'
const LINE = new RegExp(
  `${BOL}${S}*(?<export>export${S}+)?(?<key>[A-Za-z0-9_.]+)` +
    `(?:(?:${S}*=${S}*?|:${S}+?)(?<value>${S}*'(?:\\\\'|[^'])*'|${S}*"(?:\\\\"|[^"])*"|[^#\\n]+)?)?` +
    `${S}*(?:#[^\\n]*)?${EOL}`,
  'g',
)
const QUOTED_STRING = /^(['"])([\s\S]*)\1$/
const VARIABLE = /(\\)?(\$)(?!\()\{?([A-Z0-9_]+)?\}?/gi

export interface RubyDotenvOptions {
  /** Runs a `$(…)` command; the default records it so a test can see that one ran. */
  run?: (command: string) => string
  /** Kamal 2 swaps dotenv's command regex for one that also accepts `\`-escaped parens. */
  kamal?: boolean
  linebreakMode?: 'legacy'
}

/** What `Dotenv.parse(file)` returns for `text` with a clean ENV; throws like FormatError. */
export function parseRubyDotenv(text: string, opts: RubyDotenvOptions = {}): Map<string, string> {
  const hash = new Map<string, string>()
  const source = text.replace(/^\ufeff/, '').replace(/\r\n?/g, '\n')
  for (const m of source.matchAll(LINE)) {
    const { export: exp, key, value } = m.groups as Record<string, string | undefined>
    if (exp !== undefined && value === undefined) {
      if (!hash.has(key as string)) throw new Error(`FormatError: unset variable ${key}`)
      continue
    }
    hash.set(key as string, parseValue(value ?? '', hash, opts))
  }
  return hash
}

function parseValue(raw: string, hash: Map<string, string>, opts: RubyDotenvOptions): string {
  const stripped = raw.replace(/^[ \t\n\v\f\r\0]+|[ \t\n\v\f\r\0]+$/g, '')
  const quoted = QUOTED_STRING.exec(stripped)
  const quote = quoted?.[1]
  let value = quoted ? (quoted[2] as string) : stripped
  if (quote === "'") return value
  if (quote === '"') {
    const legacy = (hash.get('DOTENV_LINEBREAK_MODE') ?? opts.linebreakMode) === 'legacy'
    value = legacy
      ? value.replaceAll('\\n', '\n').replaceAll('\\r', '\r')
      : value.replaceAll('\\n', '\\\\n').replaceAll('\\r', '\\\\r')
  }
  value = value.replace(/\\([^$])/g, '$1')
  return substituteVariables(substituteCommands(value, hash, opts), hash)
}

function substituteVariables(value: string, hash: Map<string, string>): string {
  return value.replace(VARIABLE, (whole, bs?: string, _d?: string, name?: string) => {
    if (bs === '\\') return whole.slice(1)
    if (name !== undefined) return hash.get(name) ?? ''
    return whole
  })
}

/** The Command substitution: `(\\)?\$(?<cmd>\((?:[^()]|\g<cmd>)+\))` (Kamal: `\\.` items too). */
function substituteCommands(
  value: string,
  hash: Map<string, string>,
  opts: RubyDotenvOptions,
): string {
  let out = ''
  let i = 0
  while (i < value.length) {
    const escaped = value[i] === '\\' && value[i + 1] === '$'
    const dollar = escaped ? i + 1 : i
    const end = value[dollar] === '$' ? commandEnd(value, dollar + 1, opts.kamal === true) : -1
    if (end < 0) {
      out += value[i]
      i += 1
      continue
    }
    const command = value.slice(dollar + 2, end - 1)
    const run = opts.run ?? ((cmd: string) => `<ran:${cmd}>`)
    // Ruby's chomp: one trailing line break goes.
    out += escaped
      ? value.slice(dollar, end)
      : run(substituteVariables(command, hash)).replace(/\r?\n$|\r$/, '')
    i = end
  }
  return out
}

/** Index just past the `)` matching the `(` at `at`, or -1 when the parens do not balance. */
function commandEnd(s: string, at: number, kamal: boolean): number {
  if (s[at] !== '(') return -1
  let j = at + 1
  let items = 0
  for (;;) {
    const c = s[j]
    if (c === undefined) return -1
    if (c === ')') return items > 0 ? j + 1 : -1
    if (c === '(') {
      j = commandEnd(s, j, kamal)
      if (j < 0) return -1
    } else if (kamal && c === '\\') {
      if (s[j + 1] === undefined || s[j + 1] === '\n') return -1
      j += 2
    } else j += 1
    items += 1
  }
}
