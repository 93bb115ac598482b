/** The rules of the scanner; each finding names one. */
export const RULE_IDS = [
  'tresor-token',
  'aws-access-key-id',
  'github-token',
  'stripe-key',
  'slack-token',
  'private-key',
  'own-secret',
] as const

export type RuleId = (typeof RULE_IDS)[number]

/**
 * One leak: where it is and which rule found it. Never the matched text: at most a hint made of
 * the rule's public prefix and the length, and for own secrets the key and environment.
 */
export interface Finding {
  path: string
  /** 1-based line. */
  line: number
  /** 1-based column in UTF-16 code units (SARIF's default column unit). */
  column: number
  rule: RuleId
  /** For `own-secret`: the variable whose value leaked. */
  key?: string
  /** For `own-secret`: its environment's slug; absent for a project-level shared variable. */
  environment?: string
  /** A redacted description such as `ghp_… (40 chars)`. */
  hint?: string
}

/** One secret value as the server describes it to the scanner: a keyed fingerprint, no value. */
export interface FingerprintItem {
  key: string
  /** Environment slug, or null for the project's shared variables. */
  environment: string | null
  /** The value's length in UTF-8 bytes. */
  length: number
  /** 12 bits of a cheap keyed hash of the value (see `hintOf`): the scanner's prefilter. */
  hint: number
  /** True when the value has a space or tab: only then are quoted text and `KEY=` lines read whole. */
  spaced: boolean
  /** Hex of the first 16 bytes of HMAC-SHA256(scanKey, value as UTF-8). */
  fingerprint: string
}
