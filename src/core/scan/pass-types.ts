// The types shared by the scanner's pass (candidates.ts) and its WebAssembly engine (runs.ts).

/** What the pass needs to know of the secrets: which lengths are worth a look. */
export interface LengthFilter {
  /** `wanted[n] === 1` when some secret is n bytes long. */
  readonly wanted: Uint8Array
  readonly minLength: number
  readonly maxLength: number
  /** The same for secrets with a space or tab inside, which only quoted text or `KEY=` lines hold. */
  readonly spaced: Uint8Array
  readonly maxSpaced: number
}

/** What one pass over a file reports: keyword positions and candidate spans. */
export interface PassSink {
  /** A word starting at `i` begins with two bytes some credential keyword begins with. */
  keywordAt(i: number): void
  /** `bytes[start..end)` has the length of some secret. */
  candidate(start: number, end: number): void
}

/** What a pass looks for: credential keywords, and spans of the lengths some secret has. */
export interface PassTargets {
  /** First two bytes of every word-start keyword (see `keywordPairs`). */
  readonly pairs: Uint8Array
  /** The shortest text a keyword's credential can be: none hides in a shorter blank-free run. */
  readonly minKeywordRun: number
  readonly lengths: LengthFilter
  /**
   * The secrets' hint bits (see `FingerprintSet`): when given, a candidate whose (length, hint)
   * bit is clear, which cannot be a secret, may go unreported.
   */
  readonly hints?: HintFilter
}

/** The hint bits of a set of secrets: `hints` at `hintSlot(length, hintOf(…, base, …))`. */
export interface HintFilter {
  readonly base: number
  readonly hints: Uint8Array
}

/**
 * Does the fast path of `scanPass` (no secret with a blank) over `bytes`, reading in full the
 * runs without a blank at least `m` long: reports to `sink` what the JavaScript loop would, in
 * the same order, less the candidates `targets.hints` rules out. Returns false when `bytes`
 * certainly holds no 16-bit aligned `--` (so no `-----`), else true; `undefined` when it cannot
 * (then the caller's own loop does the work).
 */
export type PassEngine = (
  bytes: Uint8Array,
  m: number,
  targets: PassTargets,
  sink: PassSink,
) => boolean | undefined
