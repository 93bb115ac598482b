import {
  closeSync,
  existsSync,
  lstatSync,
  openSync,
  readdirSync,
  readFileSync,
  readSync,
  statSync,
  type Dirent,
} from 'node:fs'
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
        // Most directories have none: a stat that answers undefined costs less than a throw.
        if (statSync(join(dir, n), { throwIfNoEntry: false }) === undefined) return []
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
  // True when no ignore file applies in `dir` (inside `base`): neither there nor above it.
  const noRules = new Map<string, boolean>()
  const nothingApplies = (dir: string): boolean => {
    let none = noRules.get(dir)
    if (none === undefined) {
      const up = dirname(dir)
      none = rulesOf(dir).length === 0 && (dir === base || up === dir || nothingApplies(up))
      noRules.set(dir, none)
    }
    return none
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
      if (rel === '' || rel.startsWith('..') || nothingApplies(dirname(absPath))) return false
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
  // One readdir per directory gives each entry's type: only files are stat'ed (for their size).
  const visitDir = (abs: string, prefix: string) => {
    const entries = readdirSync(abs, { withFileTypes: true }).sort(byName)
    for (const e of entries) {
      const child = join(abs, e.name)
      if (e.isSymbolicLink() || seen.has(child)) continue
      seen.add(child)
      const isDir = e.isDirectory()
      if (isDir && ALWAYS_SKIPPED.has(e.name)) continue
      if (!isDir && !e.isFile()) continue
      if (ignore.isIgnored(child, isDir)) continue
      const shown = prefix === '' ? e.name : `${prefix}/${e.name}`
      if (isDir) visitDir(child, shown)
      else addFile(child, shown)
    }
  }
  const addFile = (abs: string, display: string) => {
    const st = lstatSync(abs, { throwIfNoEntry: false })
    if (st?.isFile() === true) out.push({ abs, display, size: st.size })
  }
  for (const p of paths) {
    const abs = resolve(cwd, p)
    if (statSync(abs, { throwIfNoEntry: false }) === undefined)
      throw new UsageError(`no such file or directory: ${p}`)
    if (seen.has(abs)) continue
    seen.add(abs)
    const st = lstatSync(abs)
    if (st.isSymbolicLink() || ignore.isIgnored(abs, st.isDirectory())) continue
    if (st.isDirectory()) visitDir(abs, relative(cwd, abs).split(sep).join('/'))
    else if (st.isFile()) out.push({ abs, display: displayPath(cwd, abs), size: st.size })
  }
  return out
}

// The order of a plain sort of the names, as `readdirSync(dir).sort()` gives.
const byName = (a: Dirent, b: Dirent) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0)

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

/**
 * Reads a whole file into `into.buf` (grown when the file is larger), returning its bytes: a view
 * of that buffer, valid until the next read. One buffer for every file saves an allocation and an
 * fstat per file over `readFileSync`; the file is read to its end, whatever its listed size.
 */
export function readInto(into: { buf: Buffer }, abs: string, sizeHint: number): Buffer {
  const fd = openSync(abs, 'r')
  try {
    if (into.buf.length <= sizeHint) into.buf = Buffer.allocUnsafe(sizeHint + (sizeHint >> 2) + 1)
    let len = 0
    for (;;) {
      if (len === into.buf.length) {
        const bigger = Buffer.allocUnsafe(into.buf.length * 2)
        into.buf.copy(bigger, 0, 0, len)
        into.buf = bigger
      }
      const got = readSync(fd, into.buf, len, into.buf.length - len, null)
      if (got === 0) return into.buf.subarray(0, len)
      len += got
    }
  } finally {
    closeSync(fd)
  }
}

/** Reads and scans each file; binary ones (a NUL in the first 8 KB) are counted and skipped. */
export function scanFiles(files: readonly ScanFile[], scanner: Scanner): FilesScanned {
  const result: FilesScanned = { findings: [], files: 0, bytes: 0, binary: 0, unreadable: [] }
  // The scanner keeps no reference to the bytes it is given, so one buffer serves every file.
  const reader = { buf: Buffer.allocUnsafe(64 * 1024) }
  for (const file of files) {
    let bytes: Buffer
    try {
      bytes = readInto(reader, file.abs, file.size)
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
    result.findings.push(...scanner.scanBytes(bytes, file.display))
  }
  return result
}
