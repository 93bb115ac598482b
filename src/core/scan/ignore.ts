/** One line of a `.tresorignore` or `.gitignore` file, compiled. */
export interface IgnoreRule {
  readonly negate: boolean
  /** A pattern ending in `/` matches directories only. */
  readonly dirOnly: boolean
  /** Tested against the path relative to the ignore file's directory, `/`-separated. */
  readonly regex: RegExp
}

/**
 * Parses gitignore-style patterns: `#` comments, `!` to re-include, a trailing `/` for
 * directories, a `/` elsewhere anchors the pattern to the file's directory (else it matches a
 * name at any depth), `*`, `?`, `[…]`, and `**` for any number of directories.
 */
export function parseIgnore(text: string): IgnoreRule[] {
  const rules: IgnoreRule[] = []
  for (const raw of text.split(/\r?\n/)) {
    let line = raw.replace(/(?<!\\)\s+$/, '')
    if (line === '' || line.startsWith('#')) continue
    const negate = line.startsWith('!')
    if (negate) line = line.slice(1)
    else if (line.startsWith('\\!') || line.startsWith('\\#')) line = line.slice(1)
    const dirOnly = line.endsWith('/')
    if (dirOnly) line = line.slice(0, -1)
    if (line === '') continue
    const anchored = line.includes('/')
    const body = globToRegex(line.startsWith('/') ? line.slice(1) : line)
    rules.push({ negate, dirOnly, regex: new RegExp(anchored ? `^${body}$` : `^(?:.*/)?${body}$`) })
  }
  return rules
}

/**
 * The verdict of `rules` on one path (relative to their file's directory): true ignored, false
 * re-included by a `!` rule, undefined when no rule speaks. The last matching rule wins.
 */
export function matchIgnore(
  rules: readonly IgnoreRule[],
  relPath: string,
  isDir: boolean,
): boolean | undefined {
  let verdict: boolean | undefined
  for (const rule of rules) {
    if (rule.dirOnly && !isDir) continue
    if (rule.regex.test(relPath)) verdict = !rule.negate
  }
  return verdict
}

const SPECIAL = /[.+^${}()|\]\\/]/

function globToRegex(glob: string): string {
  let re = ''
  for (let i = 0; i < glob.length; i++) {
    const c = glob.charAt(i)
    if (c === '*' && glob.charAt(i + 1) === '*') {
      const fromDirStart = i === 0 || glob.charAt(i - 1) === '/'
      if (fromDirStart && glob.charAt(i + 2) === '/') {
        re += '(?:.*/)?' // `**/`: zero or more directories
        i += 2
      } else if (fromDirStart && i + 2 === glob.length) {
        re += '.*' // trailing `/**`: everything inside
        i += 1
      } else {
        re += '[^/]*'
        i += 1
      }
    } else if (c === '*') re += '[^/]*'
    else if (c === '?') re += '[^/]'
    else if (c === '[') {
      const close = glob.indexOf(']', i + 2)
      if (close === -1) re += '\\['
      else {
        const inner = glob
          .slice(i + 1, close)
          .replace(/^!/, '^')
          .replace(/\\/g, '\\\\')
        re += `[${inner}]`
        i = close
      }
    } else if (c === '\\' && i + 1 < glob.length) {
      i++
      re += escapeChar(glob.charAt(i))
    } else re += escapeChar(c)
  }
  return re
}

function escapeChar(c: string): string {
  return SPECIAL.test(c) || c === '[' || c === '*' || c === '?' ? `\\${c}` : c
}
