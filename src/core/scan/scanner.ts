import { keywordPairs, scanPass } from './candidates.ts'
import type { LengthFilter, PassTargets } from './pass-types.ts'
import { fingerprintValue, hintOf } from './fingerprint.ts'
import { hintSlot, type FingerprintSet } from './fingerprint-set.ts'
import {
  CREDENTIAL_RULES,
  credentialAt,
  findUnanchoredCredentials,
  MIN_WORD_START_LENGTH,
  WORD_START_KEYWORDS,
  type CredentialMatch,
} from './rules.ts'
import type { FingerprintItem, Finding, RuleId } from './types.ts'

/** An inline marker that silences every finding on its line (for a known false positive). */
export const ALLOW_MARKER = 'tresor:allow'

/** Bytes looked at for a NUL, the sign of a binary file (as git and grep decide). */
export const BINARY_SNIFF_BYTES = 8192

export interface ScannerOptions {
  /** The project's own secrets; without them only the credential formats are looked for. */
  fingerprints?: FingerprintSet
}

/** Scans files' contents for leaks; reuses its buffers from one file to the next. */
export interface Scanner {
  /** Findings in UTF-8 `bytes`; none for binary content (a NUL in the first 8 KB). */
  scanBytes(bytes: Buffer, path: string): Finding[]
  scanText(text: string, path: string): Finding[]
}

/** A finding before it has a line and column: where it starts, in bytes. */
export interface Hit {
  start: number
  rule: RuleId
  hint?: string
  item?: FingerprintItem
}

/** True when the first 8 KB of `bytes` hold a NUL byte. */
export function looksBinary(bytes: Uint8Array): boolean {
  return bytes.subarray(0, BINARY_SNIFF_BYTES).indexOf(0) !== -1
}

const PAIRS = keywordPairs(WORD_START_KEYWORDS)
const NONE = new Uint8Array(1)
const NO_LENGTHS: LengthFilter = {
  wanted: NONE,
  minLength: Number.MAX_SAFE_INTEGER,
  maxLength: 0,
  spaced: NONE,
  maxSpaced: 0,
}

const hitOf = (m: CredentialMatch): Hit => ({ start: m.start, rule: m.rule, hint: m.hint })
const targetsOf = (set: FingerprintSet | undefined): PassTargets => ({
  pairs: PAIRS,
  minKeywordRun: MIN_WORD_START_LENGTH,
  lengths: set ?? NO_LENGTHS,
  ...(set === undefined ? {} : { hints: set }),
})

// The pass tells when a file cannot hold `-----`; then, while every keyword of the rules that
// may start anywhere begins so (PEM blocks), their search is skipped.
const UNANCHORED_NEED_DASHES = CREDENTIAL_RULES.every(
  (r) => r.wordStart || r.keywords.every((k) => k.startsWith('-----')),
)

/**
 * A scanner for credential formats and, given fingerprints, the project's own secret values.
 * Findings never carry the matched text.
 * @example createScanner({ fingerprints }).scanText(fileText, 'src/app.ts')
 */
export function createScanner(options: ScannerOptions = {}): Scanner {
  const set = options.fingerprints
  const targets = targetsOf(set)
  const scanBytes = (bytes: Buffer, path: string): Finding[] => {
    if (looksBinary(bytes)) return []
    let hits: Hit[] = []
    const dashes = scanPass(bytes, targets, {
      keywordAt(i) {
        const m = credentialAt(bytes, i)
        if (m !== undefined) hits.push(hitOf(m))
      },
      // A candidate of a secret's length pays for an O(1) hint; only the rare one whose 12-bit
      // hint matches a secret's pays for an HMAC.
      candidate(start, end) {
        if (set === undefined) return
        const len = end - start
        const slot = hintSlot(len, hintOf(bytes, set.base, start, end))
        if (((set.hints[slot >>> 3] as number) & (1 << (slot & 7))) === 0) return
        const fp = fingerprintValue(set.scanKey, bytes.subarray(start, end))
        for (const item of set.byFingerprint.get(fp) ?? [])
          hits.push({ start, rule: 'own-secret', item })
      },
    })
    if (dashes || !UNANCHORED_NEED_DASHES) {
      const unanchored = findUnanchoredCredentials(bytes)
      if (unanchored.length !== 0) hits = [...unanchored.map(hitOf), ...hits]
    }
    return hits.length === 0 ? [] : locate(bytes, path, hits)
  }
  return { scanBytes, scanText: (text, path) => scanBytes(Buffer.from(text, 'utf8'), path) }
}

/** Scans one text with a fresh scanner; see `createScanner` to scan many files. */
export function scanText(text: string, path: string, options: ScannerOptions = {}): Finding[] {
  return createScanner(options).scanText(text, path)
}

// Turns byte offsets into lines and columns (UTF-16 units), drops allowed lines and repeats: a
// value reported as one of the project's secrets is not reported again as a credential format.
function locate(bytes: Buffer, path: string, hits: Hit[]): Finding[] {
  hits.sort((a, b) => a.start - b.start || rank(a) - rank(b))
  const out: Finding[] = []
  const seen = new Set<string>()
  let line = 1
  let lineStart = 0
  let lineEnd = endOfLine(bytes, 0)
  for (const hit of hits) {
    while (lineEnd < hit.start) {
      line++
      lineStart = lineEnd + 1
      lineEnd = endOfLine(bytes, lineStart)
    }
    const allowAt = bytes.indexOf(ALLOW_MARKER, lineStart, 'latin1')
    if (allowAt !== -1 && allowAt < lineEnd) continue
    const id = `${hit.start}\0${hit.item === undefined ? '' : identity(hit.item)}`
    if (seen.has(id) || (hit.rule !== 'own-secret' && seen.has(`${hit.start}\0*`))) continue
    seen.add(id)
    if (hit.rule === 'own-secret') seen.add(`${hit.start}\0*`)
    const column = bytes.toString('utf8', lineStart, hit.start).length + 1
    out.push(toFinding(path, line, column, hit))
  }
  return out
}

const rank = (hit: Hit) => (hit.rule === 'own-secret' ? 0 : 1)
const identity = (item: FingerprintItem) => `${item.environment ?? ''}\0${item.key}`

function endOfLine(bytes: Buffer, from: number): number {
  const nl = bytes.indexOf(10, from)
  return nl === -1 ? bytes.length : nl
}

function toFinding(path: string, line: number, column: number, hit: Hit): Finding {
  const f: Finding = { path, line, column, rule: hit.rule }
  if (hit.item !== undefined) {
    f.key = hit.item.key
    if (hit.item.environment !== null) f.environment = hit.item.environment
  }
  if (hit.hint !== undefined) f.hint = hit.hint
  return f
}
