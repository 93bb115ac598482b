import { CLASS, FINE, HARD, KEY_BYTE, PUNCT, RUN_CLASS, STOP } from './classes.ts'
import type { LengthFilter, PassEngine, PassSink, PassTargets } from './pass-types.ts'
import { wasmPass } from './runs.ts'

// Quotes, `=` and `:` start the spans runs cannot see.
const SPAN = new Uint8Array(256)
for (const ch of '"\'`=:') SPAN[ch.charCodeAt(0)] = 1

// First bytes of the keywords of a pairs table: most delimiters are followed by a byte no
// keyword starts with. Derived from the table itself (as the WebAssembly pass does), once each.
const firsts = new WeakMap<Uint8Array, Uint8Array>()

function firstOf(pairs: Uint8Array): Uint8Array {
  let first = firsts.get(pairs)
  if (first === undefined) {
    first = new Uint8Array(256)
    for (let p = 0; p < 65536; p++) if (pairs[p] === 1) first[p >>> 8] = 1
    firsts.set(pairs, first)
  }
  return first
}

/** A table of the first two bytes of `keywords`, indexed by `byte0 << 8 | byte1`. */
export function keywordPairs(keywords: readonly string[]): Uint8Array {
  const pairs = new Uint8Array(65536)
  for (const k of keywords) pairs[(k.charCodeAt(0) << 8) | k.charCodeAt(1)] = 1
  return pairs
}

const NL = 10
const isBlank = (c: number) => c === 32 || c === 9 || c === 13

// Blanks and line ends: no credential holds one, and no candidate that could be a secret without
// a blank does either (values with CR or LF are never fingerprinted).
const BLANK = new Uint8Array(256)
for (const c of [9, 10, 13, 32]) BLANK[c] = 1

/**
 * The scanner's pass over a file, the hot loop of `tresor scan`. Reports every word start whose
 * first two bytes are in `pairs` and that could begin a credential, and every candidate span
 * whose length a secret has: the maximal runs between delimiters at three granularities, quoted
 * text with spaces, runs with their base64 `=` padding, and the value of a `KEY=value` or
 * `key: value` line.
 *
 * Every credential, and every candidate that can be a secret without a blank, lies in a run of
 * at least `min(minKeywordRun, minLength)` bytes without a blank. So unless some secret has a
 * blank (then quoted text and whole lines matter, and every byte is read), it looks only at the
 * bytes that can end such a run (one lookup skips up to that many bytes, as a Boyer-Moore search
 * does) and reads in full only the runs that long; an assignment's value after blanks is read
 * from its `=`. Candidates with a blank inside may then go unreported: no secret can match them.
 * That path runs in WebAssembly when it can (`engine`, see runs.ts), which reports the same in
 * the same order, less the candidates `targets.hints` rules out.
 *
 * Returns false only when `bytes` certainly holds no `-----` (no 16-bit aligned `--`), which
 * every keyword of the unanchored credential rules starts with.
 */
export function scanPass(
  bytes: Buffer,
  targets: PassTargets,
  sink: PassSink,
  engine: PassEngine = wasmPass,
): boolean {
  const { lengths } = targets
  if (lengths.maxSpaced !== 0) {
    runPass(bytes, 0, bytes.length, targets, sink, new QuotedText(lengths, sink))
    return true
  }
  const n = bytes.length
  const m = Math.max(1, Math.min(targets.minKeywordRun, lengths.minLength))
  // Not in a pass a sink started: the engine's memory holds the outer pass's file.
  if (!inPass) {
    inPass = true
    try {
      const dashes = engine(bytes, m, targets, sink)
      if (dashes !== undefined) return dashes
    } finally {
      inPass = false
    }
  }
  const first = firstOf(targets.pairs)
  let doneTo = 0 // the end of the last run read in full
  let s = 0 // a run starts here: s is 0 or follows a blank
  while (s + m <= n) {
    let j = s + m - 1
    while (j >= s && BLANK[bytes[j] as number] === 0) j--
    if (j >= s) {
      s = j + 1
      continue
    }
    if (s > 0 && lengths.maxLength !== 0) valueAfterBlanks(bytes, s, doneTo, lengths, sink)
    doneTo = readRun(bytes, s, targets, first, sink)
    s = doneTo + 1
  }
  return true
}

let inPass = false

// `KEY= value`, `key:  value`: the `=` or `:` is in the run before the blanks; when that run was
// too short to be read, the value (this run) is read as an assignment here.
function valueAfterBlanks(
  bytes: Buffer,
  s: number,
  doneTo: number,
  lengths: LengthFilter,
  sink: PassSink,
): void {
  let p = s - 1
  while (p >= doneTo && (bytes[p] === 32 || bytes[p] === 9)) p--
  if (p < doneTo || p === s - 1 || (bytes[p] !== 61 && bytes[p] !== 58)) return
  if (isAssignment(bytes, p)) assignedValue(bytes, p, lengths, sink)
}

/** Reads every byte of `bytes`, quoted text included (for secrets with a blank). */
function runPass(
  bytes: Buffer,
  from: number,
  to: number,
  { pairs, lengths }: PassTargets,
  sink: PassSink,
  quotes: QuotedText,
): number {
  const { wanted, maxLength, minLength } = lengths
  const FIRST = firstOf(pairs)
  const n = bytes.length
  let s1 = from // where the current run of each granularity started
  let s2 = from
  let s3 = from
  if (from + 1 < n && pairs[((bytes[from] as number) << 8) | (bytes[from + 1] as number)] === 1)
    sink.keywordAt(from)
  // False while the line so far could be `KEY`, `export KEY` or blanks: only then may a `=` or
  // `:` make it an assignment (isAssignment says for sure).
  let dirty = false
  let i = from
  for (; i < to; i++) {
    const c = bytes[i] as number
    const cls = CLASS[c] as number
    if (cls === 0) continue
    const next = i + 2 < n ? (bytes[i + 1] as number) : 0
    if (FIRST[next] === 1 && pairs[(next << 8) | (bytes[i + 2] as number)] === 1)
      sink.keywordAt(i + 1)
    if (cls === PUNCT) continue
    // Runs nest (s1 ≤ s2 ≤ s3), so when the widest is shorter than any secret, so are the others.
    if (i - s1 >= minLength) emitRuns(i, cls, s1, s2, s3, lengths, sink)
    const run3 = s3
    s3 = i + 1
    if (cls === FINE) continue
    if (cls === HARD) {
      s1 = i + 1
      quotes.onHardBreak(c, i)
      if (c === NL) dirty = false
      else if (BLANK[c] === 0) dirty = true
    } else {
      if ((c === 61 || c === 58) && maxLength !== 0)
        afterEquals(bytes, i, s2, run3, dirty, lengths, sink)
      dirty = true
    }
    s2 = i + 1
  }
  if (i < n) {
    if (i - s1 >= minLength) emitRuns(i, HARD, s1, s2, s3, lengths, sink)
    return i
  }
  for (const s of new Set([s3, s2, s1]))
    if (n - s <= maxLength && wanted[n - s] === 1) sink.candidate(s, n)
  return n
}

/**
 * What `runPass` does for one run without a blank, from `from` (0, or just after a blank) to the
 * next blank; returns where that is. The hottest loop of `tresor scan` (run as `readRun` of the
 * WebAssembly pass where it can, see scripts/gen-scan-wasm.mjs): kept apart so that it holds no
 * quoted-text state. `FIRST` is `firstOf(pairs)`, looked up once per file by the caller.
 */
function readRun(
  bytes: Buffer,
  from: number,
  { pairs, lengths }: PassTargets,
  FIRST: Uint8Array,
  sink: PassSink,
) {
  const { wanted, maxLength, minLength } = lengths
  const n = bytes.length
  let s1 = from // where the current run of each granularity started
  let s2 = from
  let s3 = from
  // See runPass; the line before `from` is unknown here, so it starts as could-be-a-key.
  let dirty = false
  if (from + 1 < n && pairs[((bytes[from] as number) << 8) | (bytes[from + 1] as number)] === 1)
    sink.keywordAt(from)
  let i = from
  for (; i < n; i++) {
    const cls = RUN_CLASS[bytes[i] as number] as number
    if (cls === 0) continue
    if (cls === STOP) break
    const next = i + 2 < n ? (bytes[i + 1] as number) : 0
    if (FIRST[next] === 1 && pairs[(next << 8) | (bytes[i + 2] as number)] === 1)
      sink.keywordAt(i + 1)
    if (cls === PUNCT) continue
    if (i - s1 >= minLength) emitRuns(i, cls, s1, s2, s3, lengths, sink)
    if (cls === FINE) {
      s3 = i + 1
      continue
    }
    if (cls === HARD) s1 = i + 1
    else {
      const c = bytes[i] as number
      if ((c === 61 || c === 58) && maxLength !== 0)
        afterEquals(bytes, i, s2, s3, dirty, lengths, sink)
      dirty = true
    }
    s3 = i + 1
    s2 = i + 1
  }
  if (i < n) {
    if (i - s1 >= minLength) emitRuns(i, HARD, s1, s2, s3, lengths, sink)
    return i
  }
  for (const s of new Set([s3, s2, s1]))
    if (n - s <= maxLength && wanted[n - s] === 1) sink.candidate(s, n)
  return n
}

// The runs of each granularity that end at a break of class `cls` at `i`, when a secret has
// their length; a run equal to a finer one is not reported twice.
function emitRuns(
  i: number,
  cls: number,
  s1: number,
  s2: number,
  s3: number,
  lengths: LengthFilter,
  sink: PassSink,
): void {
  const { wanted, maxLength } = lengths
  let len = i - s3
  if (len <= maxLength && wanted[len] === 1) sink.candidate(s3, i)
  if (cls === FINE) return
  len = i - s2
  if (s2 !== s3 && len <= maxLength && wanted[len] === 1) sink.candidate(s2, i)
  if (cls !== HARD) return
  len = i - s1
  if (s1 !== s2 && len <= maxLength && wanted[len] === 1) sink.candidate(s1, i)
}

// Tracks the quoted text of the current line from the hard breaks alone (quotes, blanks and line
// ends all are), so quoted text with spaces, which runs split, is reported whole at no extra read.
// Runs only when some secret has a space.
class QuotedText {
  private quote = 0
  private openAt = 0
  private blank = false

  constructor(
    private readonly lengths: LengthFilter,
    private readonly sink: PassSink,
  ) {}

  onHardBreak(c: number, i: number): void {
    if (c === this.quote) {
      if (this.blank && fits(this.lengths, i - this.openAt - 1))
        this.sink.candidate(this.openAt + 1, i)
      this.quote = 0
    } else if (c === 34 || c === 39 || c === 96) {
      if (this.quote === 0) {
        this.quote = c
        this.openAt = i
        this.blank = false
      }
    } else if (c === 32 || c === 9) this.blank = true
    else if (c === NL) this.quote = 0
  }
}

function fits(lengths: LengthFilter, len: number): boolean {
  return len <= lengths.maxSpaced && lengths.spaced[len] === 1
}

function wants(lengths: LengthFilter, len: number): boolean {
  return len <= lengths.maxLength && lengths.wanted[len] === 1
}

// At a `=` or `:`: the runs ending here with their base64 padding (`abc/d+==` breaks at its
// first `=`), and the value when the line is an assignment.
function afterEquals(
  bytes: Buffer,
  at: number,
  s2: number,
  s3: number,
  dirty: boolean,
  lengths: LengthFilter,
  sink: PassSink,
): void {
  if (bytes[at] === 61 && at > s3) {
    let end = at + 1
    while (end < at + 2 && bytes[end] === 61) end++
    if (end === bytes.length || CLASS[bytes[end] as number] !== 0) {
      if (wants(lengths, end - s3)) sink.candidate(s3, end)
      if (s2 !== s3 && wants(lengths, end - s2)) sink.candidate(s2, end)
    }
  }
  if (!dirty && isAssignment(bytes, at)) assignedValue(bytes, at, lengths, sink)
}

// True when the line reads `KEY=` or `KEY:` up to `at` (indentation and `export ` allowed): a
// dotenv, shell or YAML assignment, whose value runs to the end of the line.
function isAssignment(bytes: Buffer, at: number): boolean {
  let i = at - 1
  while (i >= 0 && isBlank(bytes[i] as number)) i--
  const keyEnd = i
  while (i >= 0 && KEY_BYTE[bytes[i] as number] === 1) i--
  if (i === keyEnd) return false
  while (i >= 0 && isBlank(bytes[i] as number)) i--
  if (i >= 5 && endsWithExport(bytes, i)) i -= 6
  while (i >= 0 && isBlank(bytes[i] as number)) i--
  return i < 0 || bytes[i] === NL
}

const EXPORT = [101, 120, 112, 111, 114, 116] // `export`

function endsWithExport(bytes: Buffer, last: number): boolean {
  for (let k = 0; k < 6; k++) if (bytes[last - 5 + k] !== EXPORT[k]) return false
  return true
}

// An unquoted value, trimmed, and without its ` # comment` (quoted ones are runs or quoted
// text already): `KEY=pass;word=1`, `KEY=two words`, `key: a:b`.
function assignedValue(bytes: Buffer, at: number, lengths: LengthFilter, sink: PassSink): void {
  const n = bytes.length
  let start = at + 1
  while (start < n && (bytes[start] === 32 || bytes[start] === 9)) start++
  const q = bytes[start]
  if (q === 34 || q === 39 || q === 96) return
  const limit = Math.min(n, start + lengths.maxLength + 64)
  const nl = bytes.indexOf(NL, start)
  const lineEnd = nl === -1 ? n : nl
  if (lineEnd >= limit && limit !== n) return // longer than any secret
  const end = Math.min(lineEnd, limit)
  if (end - start < lengths.minLength) return // shorter than any secret
  emitTrimmed(bytes, start, end, lengths, sink)
  for (let k = start; k < end; k++) {
    if (bytes[k] === 35 && isBlank(bytes[k - 1] as number)) {
      emitTrimmed(bytes, start, k, lengths, sink)
      return
    }
  }
}

function emitTrimmed(
  bytes: Buffer,
  start: number,
  end: number,
  lengths: LengthFilter,
  sink: PassSink,
) {
  let e = end
  while (e > start && isBlank(bytes[e - 1] as number)) e--
  if (wants(lengths, e - start)) sink.candidate(start, e)
}
