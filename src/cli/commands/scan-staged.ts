import { spawnSync } from 'node:child_process'
import { UsageError } from '../errors.ts'

/** The lines a commit would add to one file, and where each sits in the new file. */
export interface StagedFile {
  /** Path from the repository root, `/`-separated. */
  path: string
  /** The added lines joined with `\n`. */
  text: string
  /** `lines[i]` is the line number, in the staged file, of the text's line i + 1. */
  lines: number[]
}

/** Runs git in `cwd`; a missing git or a failed command is a usage error naming the command. */
export function git(cwd: string, args: readonly string[]): Buffer {
  const r = spawnSync('git', args, { cwd, maxBuffer: 1 << 30 })
  if (r.error !== undefined) throw new UsageError('git is not installed or not on PATH')
  if (r.status !== 0) {
    const why = r.stderr.toString('utf8').trim().split('\n')[0] ?? ''
    throw new UsageError(`git ${args[0] ?? ''} failed: ${why}`)
  }
  return r.stdout
}

/** The root of the work tree containing `cwd`. */
export function repoRoot(cwd: string): string {
  return git(cwd, ['rev-parse', '--show-toplevel']).toString('utf8').trim()
}

// Every setting that could change the shape of the diff is pinned: prefixes, colour, external
// diff drivers, text conversion, quoting of non-ASCII names, and context lines.
const DIFF_ARGS = [
  '-c',
  'core.quotePath=off',
  'diff',
  '--cached',
  '--no-color',
  '--no-ext-diff',
  '--no-textconv',
  '--unified=0',
  '--diff-filter=ACMR',
  '--src-prefix=a/',
  '--dst-prefix=b/',
]

/** The added lines of every staged file, from `git diff --cached` (binary files have none). */
export function stagedFiles(cwd: string): StagedFile[] {
  return parseDiff(git(cwd, DIFF_ARGS).toString('utf8'))
}

interface Building {
  path: string
  text: string[]
  lines: number[]
}

/**
 * Parses a `--unified=0` diff into added lines per file, mapped to their new line numbers. Hunk
 * lines are consumed by the counts in their `@@` header, so an added line that itself reads
 * `+++ x` or `diff --git` is content, not a header.
 */
export function parseDiff(diff: string): StagedFile[] {
  const files: Building[] = []
  let current: Building | undefined
  let next = 0
  let oldLeft = 0
  let newLeft = 0
  for (const line of diff.split('\n')) {
    if (oldLeft > 0 || newLeft > 0) {
      if (line.startsWith('-')) oldLeft--
      else if (line.startsWith('+')) {
        newLeft--
        current?.text.push(line.slice(1))
        current?.lines.push(next++)
      }
    } else if (line.startsWith('+++ ')) {
      const path = diffPath(line.slice(4))
      current = path === undefined ? undefined : { path, text: [], lines: [] }
      if (current !== undefined) files.push(current)
    } else if (line.startsWith('@@ ')) {
      const m = /^@@ -\d+(?:,(\d+))? \+(\d+)(?:,(\d+))? @@/.exec(line)
      oldLeft = Number(m?.[1] ?? 1)
      next = Number(m?.[2] ?? 0)
      newLeft = Number(m?.[3] ?? 1)
    } else if (line.startsWith('diff --git ')) current = undefined
  }
  return files.map((f) => ({ path: f.path, text: f.text.join('\n'), lines: f.lines }))
}

// `b/path`, `b/path with space<TAB>`, `"b/c-quoted\tpath"`, or `/dev/null`.
function diffPath(raw: string): string | undefined {
  if (raw === '/dev/null') return undefined
  const name = raw.startsWith('"') ? unquoteC(raw) : raw.replace(/\t$/, '')
  return name.startsWith('b/') ? name.slice(2) : name
}

const ESCAPES: Record<string, number> = { a: 7, b: 8, t: 9, n: 10, v: 11, f: 12, r: 13 }

// Git quotes names with control characters, `"` or `\` the way C does, octal bytes included.
function unquoteC(quoted: string): string {
  const bytes: number[] = []
  const body = quoted.slice(1, quoted.lastIndexOf('"'))
  for (let i = 0; i < body.length; i++) {
    const c = body.charAt(i)
    if (c !== '\\') {
      bytes.push(...Buffer.from(c, 'utf8'))
      continue
    }
    const e = body.charAt(++i)
    if (/[0-7]/.test(e)) {
      bytes.push(parseInt(body.slice(i, i + 3), 8))
      i += 2
    } else bytes.push(ESCAPES[e] ?? e.charCodeAt(0))
  }
  return Buffer.from(bytes).toString('utf8')
}
