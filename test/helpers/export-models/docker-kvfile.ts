// A faithful model of docker/cli `pkg/kvfile` parseKeyValueFile (research §1.6), for tests only:
// docker is not runnable here. `trimQuotes` selects the newer CLI that strips matching quotes.

const MAX_TOKEN = 64 * 1024
const BOM = '\ufeff'
// Go's unicode.IsSpace: NEL and NBSP count, the BOM does not.
const GO_SPACE = /^[\t\n\v\f\r \u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]+/

/** The `KEY=value` list docker passes on, or throws with docker's own error text. */
export function parseDockerEnvFile(
  text: string,
  opts: { trimQuotes: boolean; lookup?: (key: string) => string | undefined },
): [string, string][] {
  const out: [string, string][] = []
  const lines = text.split('\n')
  if (text.endsWith('\n')) lines.pop()
  lines.forEach((raw, index) => {
    // bufio.Scanner needs the line plus its LF in a 64 KiB buffer, and drops one trailing CR.
    if (Buffer.byteLength(raw) >= MAX_TOKEN) throw new Error('bufio.Scanner: token too long')
    let line = raw.endsWith('\r') ? raw.slice(0, -1) : raw
    if (index === 0 && line.startsWith(BOM)) line = line.slice(1)
    line = line.replace(GO_SPACE, '')
    if (line === '' || line.startsWith('#')) return
    const eq = line.indexOf('=')
    const variable = (eq < 0 ? line : line.slice(0, eq)).replace(/^[ \t]+/, '')
    if (/[ \t]/.test(variable)) throw new Error(`variable '${variable}' contains whitespaces`)
    if (variable === '') throw new Error(`no variable name on line '${line}'`)
    if (eq < 0) {
      const found = opts.lookup?.(variable)
      if (found !== undefined) out.push([variable, found])
      return
    }
    const value = line.slice(eq + 1)
    out.push([variable, opts.trimQuotes ? trimQuotes(value) : value])
  })
  return out
}

function trimQuotes(value: string): string {
  if (value.length < 2) return value
  const q = value[0]
  return (q === '"' || q === "'") && value.endsWith(q) ? value.slice(1, -1) : value
}
