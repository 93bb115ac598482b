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

// Byte classes: 0 part of a token (bytes ≥ 128 too, so UTF-8 characters are never split);
// 1 hard break (whitespace, quotes, controls) ends every run; 2 soft break (`=:,;` brackets)
// ends the finer runs; 3 fine break (`/@?&#\|`) ends only the finest, so that
// `postgres://u:PASS@host` yields `PASS` while a base64 value keeps its `/` in the coarser runs.
const CLASS = new Uint8Array(256)
for (let c = 0; c < 32; c++) CLASS[c] = 1
for (const [chars, cls] of [
  [' "\'`', 1],
  ['=:,;()[]{}<>', 2],
  ['/@?&#\\|', 3],
] as const) {
  for (const ch of chars) CLASS[ch.charCodeAt(0)] = cls
}
CLASS[127] = 1
// 4: other ASCII punctuation (`.-$!+*…`): not a break, but a word may start after it.
for (let c = 33; c < 127; c++) {
  if (CLASS[c] === 0 && !/[0-9A-Za-z_]/.test(String.fromCharCode(c))) CLASS[c] = 4
}
const PUNCT = 4
const HARD = 1
const FINE = 3

// Quotes, `=` and `:` start the spans runs cannot see.
const SPAN = new Uint8Array(256)
for (const ch of '"\'`=:') SPAN[ch.charCodeAt(0)] = 1

// First bytes of keywords: most delimiters are followed by a byte no keyword starts with.
const FIRST = new Uint8Array(256)

/** A table of the first two bytes of `keywords`, indexed by `byte0 << 8 | byte1`. */
export function keywordPairs(keywords: readonly string[]): Uint8Array {
  const pairs = new Uint8Array(65536)
  for (const k of keywords) {
    pairs[(k.charCodeAt(0) << 8) | k.charCodeAt(1)] = 1
    FIRST[k.charCodeAt(0)] = 1
  }
  return pairs
}

const NL = 10
const KEY_BYTE = new Uint8Array(256)
for (const ch of '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz_.-') {
  KEY_BYTE[ch.charCodeAt(0)] = 1
}
const isBlank = (c: number) => c === 32 || c === 9 || c === 13

/**
 * The scanner's one pass over a file, the hot loop of `tresor scan`: a letter or digit costs one
 * table lookup. Reports every word start whose first two bytes are in `pairs` (see
 * `keywordPairs`), and every candidate span whose length a secret has: the maximal runs between
 * delimiters at three granularities, quoted text with spaces, runs with their base64 `=`
 * padding, and the value of a `KEY=value` or `key: value` line.
 */
export function scanPass(bytes: Buffer, pairs: Uint8Array, lengths: LengthFilter, sink: PassSink) {
  const { wanted, maxLength, minLength } = lengths
  const spaced = lengths.maxSpaced !== 0
  const n = bytes.length
  const quotes = new QuotedText(lengths, sink)
  let s1 = 0 // where the current run of each granularity started
  let s2 = 0
  let s3 = 0
  if (n > 1 && pairs[((bytes[0] as number) << 8) | (bytes[1] as number)] === 1) sink.keywordAt(0)
  for (let i = 0; i < n; i++) {
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
      if (spaced) quotes.onHardBreak(c, i)
    } else if ((c === 61 || c === 58) && maxLength !== 0) {
      afterEquals(bytes, i, s2, run3, lengths, sink)
    }
    s2 = i + 1
  }
  for (const s of new Set([s3, s2, s1]))
    if (n - s <= maxLength && wanted[n - s] === 1) sink.candidate(s, n)
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
  if (isAssignment(bytes, at)) assignedValue(bytes, at, lengths, sink)
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
  let start = at + 1
  while (start < bytes.length && (bytes[start] === 32 || bytes[start] === 9)) start++
  const q = bytes[start]
  if (q === 34 || q === 39 || q === 96) return
  const limit = Math.min(bytes.length, start + lengths.maxLength + 64)
  let end = start
  let comment = -1
  for (; end < limit && bytes[end] !== NL; end++) {
    if (comment === -1 && bytes[end] === 35 && isBlank(bytes[end - 1] as number)) comment = end
  }
  if (end === limit && end !== bytes.length) return // longer than any secret
  emitTrimmed(bytes, start, end, lengths, sink)
  if (comment !== -1) emitTrimmed(bytes, start, comment, lengths, sink)
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
