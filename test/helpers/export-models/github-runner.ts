// A model of the GitHub Actions runner's two file/stdout commands the `github` format feeds:
// actions/runner SetEnvFileCommand (the `$GITHUB_ENV` file, Linux line reading) and
// `::add-mask::` (ActionCommand data unescaping), plus the log masking a later step gets.

/** The variables a `$GITHUB_ENV` file sets, or throws with the runner's message. */
export function parseGithubEnvFile(text: string): Map<string, string> {
  const out = new Map<string, string>()
  let index = 0
  const readLine = (): string | undefined => {
    if (index >= text.length) return undefined
    const lf = text.indexOf('\n', index)
    const start = index
    index = lf < 0 ? text.length : lf + 1
    return text.slice(start, lf < 0 ? text.length : lf)
  }
  for (let line = readLine(); line !== undefined; line = readLine()) {
    if (line === '') continue
    const eq = line.indexOf('=')
    const heredoc = line.indexOf('<<')
    if (eq >= 0 && (heredoc < 0 || eq < heredoc)) {
      out.set(line.slice(0, eq), line.slice(eq + 1))
      continue
    }
    if (heredoc < 0) throw new Error(`Invalid environment variable format '${line}'`)
    const name = line.slice(0, heredoc)
    const delimiter = line.slice(heredoc + 2)
    if (name === '' || delimiter === '') throw new Error('name and delimiter must not be empty')
    const start = index
    let end = index
    for (let l = readLine(); l !== delimiter; l = readLine()) {
      if (l === undefined) throw new Error(`Matching delimiter not found '${delimiter}'`)
      end = index - 1
    }
    out.set(name, end > start ? text.slice(start, end) : '')
  }
  return out
}

/** The masks a step's stdout registers (`::add-mask::` lines, data unescaped). */
export function masksOf(stdout: string): string[] {
  const masks: string[] = []
  for (const line of stdout.split('\n')) {
    const m = /^::add-mask::([\s\S]*)$/.exec(line)
    if (m?.[1] === undefined) continue
    masks.push(m[1].replaceAll('%0D', '\r').replaceAll('%0A', '\n').replaceAll('%25', '%'))
  }
  return masks
}

/** A log line as the runner prints it: every registered mask replaced by `***`. */
export function maskLine(line: string, masks: readonly string[]): string {
  let out = line
  for (const m of [...masks].sort((a, b) => b.length - a.length))
    if (m.trim() !== '') out = out.replaceAll(m, '***')
  return out
}
