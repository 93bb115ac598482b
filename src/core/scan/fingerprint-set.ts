import { hintBase, MAX_FINGERPRINT_LENGTH, MIN_FINGERPRINT_LENGTH } from './fingerprint.ts'
import type { FingerprintItem } from './types.ts'

/** What the scanner matches candidates against: lengths, then hints, then fingerprints. */
export interface FingerprintSet {
  readonly scanKey: Buffer
  /** The multiplier of the hint hash (see `hintBase`). */
  readonly base: number
  /** `wanted[n] === 1` when some secret is n bytes long. */
  readonly wanted: Uint8Array
  /** The shortest secret (a huge number when there is none). */
  readonly minLength: number
  readonly maxLength: number
  /** The same for secrets with a space or tab inside. */
  readonly spaced: Uint8Array
  readonly maxSpaced: number
  /** `length << 12 | hint` of every secret. */
  /** A bit per (length, hint) pair of every secret, at `hintSlot` (collisions cost an HMAC). */
  readonly hints: Uint8Array
  /** Items by fingerprint: one value may be stored under several keys or environments. */
  readonly byFingerprint: ReadonlyMap<string, readonly FingerprintItem[]>
}

/** Indexes the server's fingerprints for the scanner; items outside the length bounds are dropped. */
export function createFingerprintSet(
  scanKey: Buffer,
  items: readonly FingerprintItem[],
): FingerprintSet {
  const usable = items.filter(
    (i) => i.length >= MIN_FINGERPRINT_LENGTH && i.length <= MAX_FINGERPRINT_LENGTH,
  )
  const maxLength = Math.max(0, ...usable.map((i) => i.length))
  const minLength = Math.min(Number.MAX_SAFE_INTEGER, ...usable.map((i) => i.length))
  const maxSpaced = Math.max(0, ...usable.filter((i) => i.spaced).map((i) => i.length))
  const wanted = new Uint8Array(maxLength + 1)
  const spaced = new Uint8Array(maxSpaced + 1)
  const hints = new Uint8Array(HINT_SLOTS / 8)
  const byFingerprint = new Map<string, FingerprintItem[]>()
  for (const item of usable) {
    wanted[item.length] = 1
    if (item.spaced) spaced[item.length] = 1
    const slot = hintSlot(item.length, item.hint)
    hints[slot >>> 3] = (hints[slot >>> 3] ?? 0) | (1 << (slot & 7))
    const fp = item.fingerprint.toLowerCase()
    byFingerprint.set(fp, [...(byFingerprint.get(fp) ?? []), item])
  }
  const base = hintBase(scanKey)
  return { scanKey, base, wanted, minLength, maxLength, spaced, maxSpaced, hints, byFingerprint }
}

const HINT_SLOTS = 1 << 16

/** The bit of a (length, hint) pair in `FingerprintSet.hints`. */
export function hintSlot(length: number, hint: number): number {
  return ((Math.imul(length, 0x9e3779b1) >>> 20) ^ hint ^ (length << 12)) & (HINT_SLOTS - 1)
}
