import { existsSync, lstatSync, readdirSync, readFileSync, statSync } from 'node:fs'
import { dirname, join, relative, resolve, sep } from 'node:path'
import {
  looksBinary,
  matchIgnore,
  parseIgnore,
  type Finding,
  type IgnoreRule,
  type Scanner,
} from '../../core/scan/index.ts'
import { UsageError } from '../errors.ts'

/** Directories never scanned: git's own store and installed dependencies. */
export const ALWAYS_SKIPPED = new Set(['.git', 'node_modules'])

/** Per-directory ignore files, gitignore-style; `.tresorignore` always, `.gitignore` by choice. */
export interface IgnoreTree {
  /** True when a `.tresorignore` (or `.gitignore`) from `base` down says so. */
  isIgnored(absPath: string, isDir: boolean): boolean
  /** True when the file or any directory above it (up to `base`) is ignored. */
  isPathIgnored(absFile: string): boolean
}

/** The directory whose ignore files apply: the enclosing git work tree, else `from` itself. */
export function findScanBase(from: string): string {
  for (let dir = resolve(from); ; dir = dirname(dir)) {
    if (existsSync(join(dir, '.git'))) return dir
    if (dirname(dir) === dir) return resolve(from)
  }
}

/** Loads ignore files lazily, once per directory, from `base` down to each path asked about. */
export function createIgnoreTree(base: string, useGitignore: boolean): IgnoreTree {
  const names = useGitignore ? ['.gitignore', '.tresorignore'] : ['.tresorignore']
  const cache = new Map<string, IgnoreRule[]>()
  const rulesOf = (dir: string): IgnoreRule[] => {
    let rules = cache.get(dir)
    if (rules === undefined) {
      rules = names.flatMap((n) => {
        try {
          return parseIgnore(readFileSync(join(dir, n), 'utf8'))
        } catch {
          return []
        }
      })
      cache.set(dir, rules)
    }
    return rules
  }
  const tree: IgnoreTree = {
    isPathIgnored(absFile) {
      const parts = relative(base, absFile).split(sep)
      for (let i = 1; i < parts.length; i++)
        if (tree.isIgnored(join(base, ...parts.slice(0, i)), true)) return true
      return tree.isIgnored(absFile, false)
    },
    isIgnored(absPath, isDir) {
      const rel = relative(base, absPath)
      if (rel === '' || rel.startsWith('..')) return false
      const parts = rel.split(sep)
      let verdict = false
      let dir = base
      for (let i = 0; i < parts.length; i++) {
        const v = matchIgnore(rulesOf(dir), parts.slice(i).join('/'), isDir)
        if (v !== undefined) verdict = v
        dir = join(dir, parts[i] ?? '')
      }
      return verdict
    },
  }
  return tree
}

/** One file to scan: where it is and how findings name it (relative to the working directory). */
export interface ScanFile {
  abs: string
  display: string
  /** Bytes when listed; shares of work between threads are balanced by it. */
  size: number
}

/**
 * Every regular file under `paths` (files or directories), once each, skipping `.git`,
 * `node_modules`, symbolic links and whatever the ignore tree excludes; directory entries in
 * sorted order, so output is stable.
 */
export function listFiles(paths: readonly string[], cwd: string, ignore: IgnoreTree): ScanFile[] {
  const out: ScanFile[] = []
  const seen = new Set<string>()
  const visit = (abs: string, explicit: boolean) => {
    if (seen.has(abs)) return
    seen.add(abs)
    const st = lstatSync(abs, { throwIfNoEntry: false })
    if (st === undefined || st.isSymbolicLink()) return
    const isDir = st.isDirectory()
    if (!explicit && isDir && ALWAYS_SKIPPED.has(abs.slice(abs.lastIndexOf(sep) + 1))) return
    if (ignore.isIgnored(abs, isDir)) return
    if (st.isFile()) out.push({ abs, display: displayPath(cwd, abs), size: st.size })
    if (!isDir) return
    for (const name of readdirSync(abs).sort()) visit(join(abs, name), false)
  }
  for (const p of paths) {
    const abs = resolve(cwd, p)
    if (statSync(abs, { throwIfNoEntry: false }) === undefined)
      throw new UsageError(`no such file or directory: ${p}`)
    visit(abs, true)
  }
  return out
}

function displayPath(cwd: string, abs: string): string {
  const rel = relative(cwd, abs)
  return (rel === '' ? abs : rel).split(sep).join('/')
}

/** What scanning a list of files found and covered. */
export interface FilesScanned {
  findings: Finding[]
  files: number
  bytes: number
  binary: number
  /** Files that vanished or could not be read after they were listed (display paths). */
  unreadable: string[]
}

/** Reads and scans each file; binary ones (a NUL in the first 8 KB) are counted and skipped. */
export function scanFiles(files: readonly ScanFile[], scanner: Scanner): FilesScanned {
  const result: FilesScanned = { findings: [], files: 0, bytes: 0, binary: 0, unreadable: [] }
  for (const file of files) {
    let bytes: Buffer
    try {
      bytes = readFileSync(file.abs)
    } catch {
      result.unreadable.push(file.display)
      continue
    }
    result.files++
    result.bytes += bytes.length
    if (looksBinary(bytes)) {
      result.binary++
      continue
    }
    result.findings.push(...scanner.scanText(bytes.toString('utf8'), file.display))
  }
  return result
}
