import { createHmac } from 'node:crypto'
import type { FingerprintItem } from './types.ts'

/**
 * Values shorter than this (in UTF-8 bytes) are never fingerprinted: whoever holds the scan key
 * and the fingerprints can test guesses offline, and a short value falls to that.
 */
export const MIN_FINGERPRINT_LENGTH = 12

/** Longer values are not fingerprinted: they do not appear as one token in source files. */
export const MAX_FINGERPRINT_LENGTH = 4096

/** Bits of the cheap prefilter hint: enough to skip almost every candidate, little to leak. */
export const HINT_BITS = 12

/** Bytes of the HMAC kept: 128 bits make a chance collision with any candidate negligible. */
const FINGERPRINT_BYTES = 16

/** The fingerprint of a value under a project's scan key: hex of HMAC-SHA256, first 16 bytes. */
export function fingerprintValue(scanKey: Buffer, value: string | Uint8Array): string {
  return createHmac('sha256', scanKey)
    .update(value)
    .digest()
    .subarray(0, FINGERPRINT_BYTES)
    .toString('hex')
}

/** The odd multiplier of the hint, derived from the scan key so hints differ per project. */
export function hintBase(scanKey: Buffer): number {
  return createHmac('sha256', scanKey).update('tresor-scan-hint-v1').digest().readInt32LE(0) | 1
}

const word32 = (b: Uint8Array, at: number) =>
  (b[at] as number) |
  ((b[at + 1] as number) << 8) |
  ((b[at + 2] as number) << 16) |
  ((b[at + 3] as number) << 24)

/**
 * The 12-bit hint of `bytes[start..end)` (at least 8 bytes): its length and first and last 4
 * bytes, mixed under `base` by murmur3's finaliser. O(1), so the scanner can afford it for every
 * candidate and HMAC only the rare one whose hint is a secret's. It tells at most 12 bits of
 * the value's ends; the masked preview any reader of the environment sees shows more.
 */
export function hintOf(bytes: Uint8Array, base: number, start: number, end: number): number {
  let h = word32(bytes, start) ^ Math.imul(word32(bytes, end - 4), base)
  h = (h ^ Math.imul(end - start, 0x9e3779b1) ^ base) | 0
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b)
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35)
  return (h ^ (h >>> 16)) >>> (32 - HINT_BITS)
}

/** The hint of a whole value, as the server computes it for each secret. */
export function hintOfValue(scanKey: Buffer, value: string): number {
  const bytes = Buffer.from(value, 'utf8')
  return hintOf(bytes, hintBase(scanKey), 0, bytes.length)
}

/**
 * True when a value is worth fingerprinting: long enough not to be guessed, on one line (the
 * scanner's candidates never span lines) and not a `${{…}}` reference (its text is not a value).
 */
export function isFingerprintable(value: string): boolean {
  const length = Buffer.byteLength(value, 'utf8')
  return (
    length >= MIN_FINGERPRINT_LENGTH &&
    length <= MAX_FINGERPRINT_LENGTH &&
    !/[\r\n]/.test(value) &&
    !value.includes('${{')
  )
}

/** Everything the scanner gets about one secret value: never the value itself. */
export function fingerprintItem(
  scanKey: Buffer,
  key: string,
  environment: string | null,
  value: string,
): FingerprintItem {
  const bytes = Buffer.from(value, 'utf8')
  return {
    key,
    environment,
    length: bytes.length,
    hint: hintOf(bytes, hintBase(scanKey), 0, bytes.length),
    spaced: /[ \t]/.test(value),
    fingerprint: fingerprintValue(scanKey, bytes),
  }
}
