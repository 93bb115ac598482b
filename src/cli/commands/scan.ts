import { relative, resolve, sep } from 'node:path'
import { pathToFileURL } from 'node:url'
import {
  createScanner,
  formatFindingsText,
  sortFindings,
  toSarif,
  type Finding,
  type Scanner,
} from '../../core/scan/index.ts'
import { UsageError } from '../errors.ts'
import type { Flags, Result, VerbContext } from '../spec.ts'
import { loadOwnSecrets, type OwnSecrets } from './scan-fingerprints.ts'
import { createIgnoreTree, findScanBase, listFiles } from './scan-files.ts'
import { scanFilesInParallel } from './scan-parallel.ts'
import { installHook } from './scan-hook.ts'
import { repoRoot, stagedFiles } from './scan-staged.ts'

/** The flags of `tresor scan` beyond the shared ones (commander's camelCase names). */
export interface ScanFlags extends Flags {
  staged?: boolean
  installHook?: boolean
  force?: boolean
  offline?: boolean
  /** `--no-gitignore`: also scan what `.gitignore` excludes. */
  noGitignore?: boolean
}

const FORMATS = ['text', 'json', 'sarif'] as const
type Format = (typeof FORMATS)[number]

/** What was scanned, for the summary and the JSON output. */
interface Scanned {
  findings: Finding[]
  files: number
  bytes: number
  binary: number
  unreadable: string[]
  root: string
}

function formatOf(flags: ScanFlags): Format {
  const f = flags.format ?? (flags.json === true ? 'json' : 'text')
  if (!(FORMATS as readonly string[]).includes(f))
    throw new UsageError(`--format must be text, json or sarif, not ${f.slice(0, 20)}`)
  return f as Format
}

/**
 * `tresor scan [PATHS…] [--staged] [--format text|json|sarif] [--install-hook]`: finds leaked
 * credentials and the project's own secret values; exit code 1 when anything is found.
 */
export async function scanCommand(ctx: VerbContext): Promise<Result> {
  const flags = ctx.flags as ScanFlags
  const cwd = ctx.io.cwd
  if (flags.installHook === true) {
    const hook = installHook(cwd, flags.force === true)
    const how = hook.replaced === 'foreign' ? 'replaced the existing hook' : 'installed'
    return { json: hook, notes: [`${how}: ${hook.path} runs \`tresor scan --staged\``] }
  }
  const format = formatOf(flags)
  const own = await loadOwnSecrets(ctx, flags.offline === true)
  const scanned =
    flags.staged === true
      ? scanStaged(cwd, createScanner(own.ok ? { fingerprints: own.set } : {}))
      : await scanPaths(
          ctx.args.length > 0 ? ctx.args : ['.'],
          cwd,
          own,
          flags.noGitignore !== true,
        )
  sortFindings(scanned.findings)
  return {
    ...output(format, scanned, own, ctx.io.version),
    notes: [summary(scanned)],
    warnings: warningsOf(own, scanned),
    exitCode: scanned.findings.length > 0 ? 1 : 0,
  }
}

async function scanPaths(
  paths: string[],
  cwd: string,
  own: OwnSecrets,
  gitignore: boolean,
): Promise<Scanned> {
  const files = listFiles(paths, cwd, createIgnoreTree(findScanBase(cwd), gitignore))
  const wire = own.ok ? { scanKey: own.wire.scanKey, items: own.wire.items } : undefined
  const { threads: _threads, ...scanned } = await scanFilesInParallel(files, wire)
  return { ...scanned, root: cwd }
}

function scanStaged(cwd: string, scanner: Scanner): Scanned {
  const root = repoRoot(cwd)
  const ignore = createIgnoreTree(root, false)
  const out: Scanned = { findings: [], files: 0, bytes: 0, binary: 0, unreadable: [], root: cwd }
  for (const file of stagedFiles(cwd)) {
    const abs = resolve(root, file.path)
    if (ignore.isPathIgnored(abs)) continue
    const display = relative(cwd, abs).split(sep).join('/')
    out.files++
    out.bytes += Buffer.byteLength(file.text)
    for (const f of scanner.scanText(file.text, display)) {
      out.findings.push({ ...f, line: file.lines[f.line - 1] ?? f.line })
    }
  }
  return out
}

function output(format: Format, s: Scanned, own: OwnSecrets, version: string): Result {
  const json = {
    findings: s.findings,
    scanned: { files: s.files, bytes: s.bytes, binary: s.binary, unreadable: s.unreadable },
    ownSecrets: own.ok
      ? {
          checked: true,
          project: own.project,
          count: own.wire.items.length,
          skipped: own.wire.skipped,
        }
      : { checked: false, reason: own.reason },
  }
  if (format === 'json') return { json, text: `${JSON.stringify(json, null, 2)}\n` }
  if (format === 'sarif') {
    const sarif = toSarif(s.findings, {
      toolVersion: version,
      rootUri: pathToFileURL(s.root + sep).href,
    })
    return { json: sarif, text: `${JSON.stringify(sarif, null, 2)}\n` }
  }
  return { json, text: formatFindingsText(s.findings) }
}

function summary(s: Scanned): string {
  const mb = (s.bytes / 1024 / 1024).toFixed(1)
  const what = `${s.files} file${s.files === 1 ? '' : 's'} (${mb} MB)`
  const n = s.findings.length
  return n === 0 ? `no leaks found in ${what}` : `${n} leak${n === 1 ? '' : 's'} found in ${what}`
}

function warningsOf(own: OwnSecrets, s: Scanned): string[] {
  const out: string[] = []
  if (!own.ok) out.push(`not checking the project's own secret values: ${own.reason}`)
  else if (own.wire.skipped.length > 0)
    out.push(
      `not checking secrets of ${own.wire.skipped.join(', ')}: the token may neither reveal nor deploy there`,
    )
  if (s.unreadable.length > 0)
    out.push(
      `could not read ${s.unreadable.length} file(s): ${s.unreadable.slice(0, 5).join(', ')}`,
    )
  return out
}
