import { Transform } from 'node:stream'

/** What a masked secret is replaced with. */
export const MASK = Buffer.from('***')

/** Secrets shorter than this are not masked: `***` for every `1` or `true` would wreck output. */
export const MIN_MASKED_LENGTH = 6

/** A streaming replacer of secret byte strings. */
export interface Masker {
  /** Masked bytes that are safe to show now; a tail that may begin a secret is held back. */
  push(chunk: Buffer): Buffer
  /** Everything still held back, masked: at the end of the stream. */
  flush(): Buffer
  /** How many bytes are held back. */
  readonly pending: number
}

// Every occurrence of every secret in `buf` (overlaps included), merged into disjoint ranges:
// where two secrets overlap, the union is hidden, not just the first one found.
function coveredRanges(buf: Buffer, secrets: readonly Buffer[]): Array<[number, number]> {
  const ranges: Array<[number, number]> = []
  for (const s of secrets)
    for (let i = buf.indexOf(s); i !== -1; i = buf.indexOf(s, i + 1)) ranges.push([i, i + s.length])
  ranges.sort((a, b) => a[0] - b[0])
  const merged: Array<[number, number]> = []
  for (const r of ranges) {
    const last = merged[merged.length - 1]
    if (last !== undefined && r[0] < last[1]) last[1] = Math.max(last[1], r[1])
    else merged.push(r)
  }
  return merged
}

// The length of the longest tail of `buf` that is a proper prefix of some secret: those bytes
// may be the start of a secret whose rest is in the next chunk.
function heldTail(buf: Buffer, secrets: readonly Buffer[]): number {
  let best = 0
  for (const s of secrets) {
    for (let k = Math.min(s.length - 1, buf.length); k > best; k--) {
      if (buf.compare(s, 0, k, buf.length - k, buf.length) === 0) {
        best = k
        break
      }
    }
  }
  return best
}

function mask(buf: Buffer, ranges: ReadonlyArray<[number, number]>, end: number): Buffer {
  const parts: Buffer[] = []
  let pos = 0
  for (const [start, stop] of ranges) {
    if (stop > end) break
    parts.push(buf.subarray(pos, start), MASK)
    pos = stop
  }
  parts.push(buf.subarray(pos, end))
  return Buffer.concat(parts)
}

/**
 * A masker for `values` (UTF-8; those shorter than MIN_MASKED_LENGTH are skipped). Matching is
 * on bytes, so a secret split across chunk boundaries (or across a UTF-8 character) is still
 * found.
 */
export function createMasker(values: readonly string[]): Masker {
  const secrets = [...new Set(values)]
    .filter((v) => v.length >= MIN_MASKED_LENGTH)
    .map((v) => Buffer.from(v, 'utf8'))
  let held = Buffer.alloc(0)
  return {
    push(chunk) {
      const buf = held.length === 0 ? chunk : Buffer.concat([held, chunk])
      const ranges = coveredRanges(buf, secrets)
      let cut = buf.length - heldTail(buf, secrets)
      // A match reaching into the held tail is kept whole for the next round.
      for (const [start, stop] of ranges) if (stop > cut && start < cut) cut = start
      held = Buffer.from(buf.subarray(cut))
      return mask(buf, ranges, cut)
    },
    flush() {
      const buf = held
      held = Buffer.alloc(0)
      return mask(buf, coveredRanges(buf, secrets), buf.length)
    },
    get pending() {
      return held.length
    },
  }
}

/**
 * A Transform that masks `values`. Bytes held back (a possible secret's first part) are let
 * out after `idleMs` without more output, so that a prompt is not withheld indefinitely.
 */
export function maskStream(values: readonly string[], idleMs = 200): Transform {
  const masker = createMasker(values)
  let timer: NodeJS.Timeout | undefined
  const stream: Transform = new Transform({
    transform(chunk: Buffer, _enc, done) {
      clearTimeout(timer)
      const out = masker.push(chunk)
      if (masker.pending > 0) {
        timer = setTimeout(() => stream.push(masker.flush()), idleMs)
        timer.unref()
      }
      done(null, out)
    },
    flush(done) {
      clearTimeout(timer)
      done(null, masker.flush())
    },
  })
  return stream
}
