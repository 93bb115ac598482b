import { hasValidBase62Crc32, shannonEntropy } from './checksum.ts'
import type { RuleId } from './types.ts'

/** A credential format: cheap literal keywords first, then an anchored pattern and checks. */
export interface CredentialRule {
  readonly id: Exclude<RuleId, 'own-secret'>
  readonly description: string
  /** Every match starts with one of these literals: the prefilter, found with `indexOf`. */
  readonly keywords: readonly string[]
  /** Sticky; run on the text from a keyword on, it matches the whole credential or nothing. */
  readonly pattern: RegExp
  /** How much text from the keyword on the pattern may need (its longest match, plus one). */
  readonly window: number
  /** Its shortest match: the scanner reads word starts only in blank-free runs this long. */
  readonly minLength: number
  /** When true, a letter, digit or `_` right before the keyword means it is part of a longer word. */
  readonly wordStart: boolean
  /** Checks beyond the shape (checksum, entropy); false drops the match. */
  readonly verify?: (match: RegExpExecArray) => boolean
  /** A redacted description of the match: its public prefix and length, never the secret part. */
  readonly hint: (match: RegExpExecArray) => string
}

const END = '(?![0-9A-Za-z_])'
// What may sit between the lines of a PEM body: line breaks, `\n` escapes, quotes and `+` of code.
const PEM_GAP = String.raw`(?:\\[rn]|[\s"'\`+,])`
const prefixHint = (m: RegExpExecArray) => `${m[1] ?? ''}… (${m[0].length} chars)`
const entropyOf = (m: RegExpExecArray, min: number) => shannonEntropy(m[2] ?? '') >= min

/**
 * The credential formats the scanner knows, shared by `tresor scan` and anything else that must
 * spot a credential in text (the MCP tools' "looks like a credential" refusal).
 */
export const CREDENTIAL_RULES: readonly CredentialRule[] = [
  {
    id: 'tresor-token',
    description: 'Tresor access token (prefix and CRC32 checksum verified)',
    keywords: ['tresor_pat_', 'tresor_svc_'],
    pattern: new RegExp(`(tresor_(?:pat|svc)_)([0-9A-Za-z]{39})${END}`, 'y'),
    window: 51,
    minLength: 50,
    wordStart: true,
    verify: (m) => hasValidBase62Crc32(m[0], 11),
    hint: prefixHint,
  },
  {
    id: 'aws-access-key-id',
    description: 'AWS access key id',
    keywords: ['AKIA', 'ASIA'],
    pattern: new RegExp(`(AKIA|ASIA)([A-Z2-7]{16})${END}`, 'y'),
    window: 21,
    minLength: 20,
    wordStart: true,
    // AWS's documentation uses ids ending in EXAMPLE; they are not credentials.
    verify: (m) => !m[0].endsWith('EXAMPLE') && entropyOf(m, 2.5),
    hint: prefixHint,
  },
  {
    id: 'github-token',
    description: 'GitHub token (classic formats: CRC32 checksum verified)',
    keywords: ['ghp_', 'gho_', 'ghu_', 'ghs_', 'ghr_'],
    pattern: new RegExp(`(gh[pousr]_)([0-9A-Za-z]{36})${END}`, 'y'),
    window: 41,
    minLength: 40,
    wordStart: true,
    verify: (m) => hasValidBase62Crc32(m[0], 4),
    hint: prefixHint,
  },
  {
    id: 'github-token',
    description: 'GitHub fine-grained personal access token',
    keywords: ['github_pat_'],
    pattern: new RegExp(`(github_pat_)([0-9A-Za-z]{22}_[0-9A-Za-z]{59})${END}`, 'y'),
    window: 94,
    minLength: 93,
    wordStart: true,
    verify: (m) => entropyOf(m, 4),
    hint: prefixHint,
  },
  {
    id: 'stripe-key',
    description: 'Stripe secret or restricted key',
    keywords: ['sk_live_', 'rk_live_', 'sk_test_'],
    pattern: new RegExp(`([sr]k_(?:live|test)_)([0-9A-Za-z]{24,247})${END}`, 'y'),
    window: 256,
    minLength: 32,
    wordStart: true,
    verify: (m) => m[1] !== 'rk_test_' && entropyOf(m, 3.5),
    hint: prefixHint,
  },
  {
    id: 'slack-token',
    description: 'Slack bot, user or app-level token',
    keywords: ['xoxb-', 'xoxp-', 'xapp-'],
    pattern: new RegExp(
      `(xox[bp]-|xapp-)(\\d{8,14}-\\d{8,14}(?:-\\d{8,14})?-[0-9A-Za-z]{24,64}|\\d-[0-9A-Z]{8,14}-\\d{8,14}-[0-9a-f]{32,80})${END}`,
      'y',
    ),
    window: 200,
    minLength: 47,
    wordStart: true,
    // The random part is the last segment (the ones before are numeric ids); it may itself
    // begin with digits, so only the ids are left out, not every leading digit.
    verify: (m) => shannonEntropy((m[2] ?? '').slice((m[2] ?? '').lastIndexOf('-') + 1)) >= 3,
    hint: prefixHint,
  },
  {
    id: 'private-key',
    description: 'PEM private key block',
    keywords: ['-----BEGIN '],
    // The header, then a body: at least 64 base64 characters (literal line breaks, `\n` escapes
    // and the headers of an encrypted key may come between), so bare headers in code and docs
    // (`startsWith('-----BEGIN PRIVATE KEY-----')`) are not reported.
    pattern: new RegExp(
      `-----BEGIN ((?:[A-Z0-9]+ )*PRIVATE KEY)-----${PEM_GAP}*` +
        `(Proc-Type:[^\\n]*(?:\\\\n|\\n)+DEK-Info:[^\\n\\\\]*${PEM_GAP}+)?` +
        `(?:[A-Za-z0-9+/=]{4,}${PEM_GAP}*)+`,
      'y',
    ),
    window: 1024,
    minLength: 31,
    wordStart: false,
    verify: (m) => {
      const body = m[0].slice(16 + (m[1]?.length ?? 0) + (m[2]?.length ?? 0))
      return (body.match(/[A-Za-z0-9+/]/g)?.length ?? 0) >= 64
    },
    hint: (m) => m[1] ?? 'PRIVATE KEY',
  },
]

/** One credential found in text, by offset; `hint` is safe to print. */
export interface CredentialMatch {
  rule: CredentialRule['id']
  start: number
  end: number
  hint: string
}

function isWordCode(c: number): boolean {
  return (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95
}

/** Text as the matcher reads it: a string, or bytes read as Latin-1 (keywords are ASCII). */
interface Haystack {
  indexOf(needle: string, from: number): number
  codeAt(i: number): number
  slice(start: number, end: number): string
}

const stringHaystack = (text: string): Haystack => ({
  indexOf: (needle, from) => text.indexOf(needle, from),
  codeAt: (i) => text.charCodeAt(i),
  slice: (start, end) => text.slice(start, end),
})

const bytesHaystack = (bytes: Buffer): Haystack => ({
  indexOf: (needle, from) => bytes.indexOf(needle, from, 'latin1'),
  codeAt: (i) => bytes[i] ?? 0,
  slice: (start, end) => bytes.toString('latin1', start, Math.min(end, bytes.length)),
})

function matchAt(hay: Haystack, at: number, rule: CredentialRule): CredentialMatch | undefined {
  if (rule.wordStart && at > 0 && isWordCode(hay.codeAt(at - 1))) return undefined
  rule.pattern.lastIndex = 0
  const m = rule.pattern.exec(hay.slice(at, at + rule.window))
  if (m === null || (rule.verify !== undefined && !rule.verify(m))) return undefined
  return { rule: rule.id, start: at, end: at + m[0].length, hint: rule.hint(m) }
}

function find(hay: Haystack, rules: readonly CredentialRule[]): CredentialMatch[] {
  const out: CredentialMatch[] = []
  for (const rule of rules) {
    for (const keyword of rule.keywords) {
      for (let at = hay.indexOf(keyword, 0); at !== -1; at = hay.indexOf(keyword, at + 1)) {
        const m = matchAt(hay, at, rule)
        if (m !== undefined) out.push(m)
      }
    }
  }
  return out
}

/**
 * Every credential of a known format in `text`, offsets in UTF-16 units, in no particular order.
 * Each keyword is found with `indexOf` before any regex runs.
 * @example findCredentials('key = "AKIA…"') // [{ rule: 'aws-access-key-id', start: 7, … }]
 */
export function findCredentials(text: string): CredentialMatch[] {
  return find(stringHaystack(text), CREDENTIAL_RULES)
}

/** The rules whose keywords start a word; the scanner's pass finds their starts itself. */
const WORD_START_RULES = CREDENTIAL_RULES.filter((r) => r.wordStart)

/** Every keyword of the word-start rules (the scanner indexes their first two bytes). */
export const WORD_START_KEYWORDS = WORD_START_RULES.flatMap((r) => r.keywords)

/** The shortest credential of a word-start rule: none fits in a shorter run without a blank. */
export const MIN_WORD_START_LENGTH = Math.min(...WORD_START_RULES.map((r) => r.minLength))

// Keyword bytes by their first two bytes, so a word start is checked against its few candidates.
const BY_PAIR = new Map<number, { rule: CredentialRule; keyword: Buffer }[]>()
for (const rule of WORD_START_RULES) {
  for (const k of rule.keywords) {
    const pair = (k.charCodeAt(0) << 8) | k.charCodeAt(1)
    BY_PAIR.set(pair, [...(BY_PAIR.get(pair) ?? []), { rule, keyword: Buffer.from(k, 'latin1') }])
  }
}

function startsWithAt(bytes: Buffer, at: number, keyword: Buffer): boolean {
  if (at + keyword.length > bytes.length) return false
  for (let i = 2; i < keyword.length; i++) if (bytes[at + i] !== keyword[i]) return false
  return true
}

/** The credential, if any, that starts at byte `at` with one of the word-start keywords. */
export function credentialAt(bytes: Buffer, at: number): CredentialMatch | undefined {
  const pair = ((bytes[at] ?? 0) << 8) | (bytes[at + 1] ?? 0)
  for (const { rule, keyword } of BY_PAIR.get(pair) ?? []) {
    if (!startsWithAt(bytes, at, keyword)) continue
    const m = matchAt(bytesHaystack(bytes), at, rule)
    if (m !== undefined) return m
  }
  return undefined
}

/** Credentials of the rules that may start anywhere (PEM blocks), found with `indexOf`. */
export function findUnanchoredCredentials(bytes: Buffer): CredentialMatch[] {
  return find(
    bytesHaystack(bytes),
    CREDENTIAL_RULES.filter((r) => !r.wordStart),
  )
}
