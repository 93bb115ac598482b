import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto'
import { AppError } from '../core/errors.ts'
import { base62Crc32 } from '../core/scan/checksum.ts'

/** `pat`: a person's access token; `svc`: a service token. */
export type TokenKind = 'pat' | 'svc'

/** The parts of a well-formed token; `body` is the secret random part. */
export interface ParsedToken {
  readonly kind: TokenKind
  readonly body: string
}

const ALPHABET = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz'
const BODY_BYTES = 24 // 192 bits of entropy
const BODY_CHARS = 33 // 62^33 > 2^192, so every 24-byte body fits
const EXACT = /^tresor_(pat|svc)_([0-9A-Za-z]{33})([0-9A-Za-z]{6})$/

/**
 * Finds Tresor tokens in text (secret scanners, log canaries). Not global, so it holds no
 * `lastIndex` state; use `new RegExp(TOKEN_PATTERN.source, 'g')` to find them all, then confirm
 * each hit with `parseToken`.
 */
export const TOKEN_PATTERN = /\btresor_(?:pat|svc)_[0-9A-Za-z]{39}\b/

/** A new token: `tresor_pat_` or `tresor_svc_`, 33 base62 chars of 192 random bits, 6 of CRC32. */
export function generateToken(kind: TokenKind): string {
  const bytes = randomBytes(BODY_BYTES)
  const body = toBase62(BigInt(`0x${bytes.toString('hex')}`), BODY_CHARS)
  bytes.fill(0)
  return `tresor_${kind}_${body}${checksum(body)}`
}

/**
 * Splits a token into kind and body, or undefined when its prefix, length, alphabet or checksum
 * is wrong, so that typos and noise are refused before any database lookup.
 */
export function parseToken(token: string): ParsedToken | undefined {
  const match = EXACT.exec(token)
  const [, kind, body, check] = match ?? []
  if (kind === undefined || body === undefined || check === undefined) return undefined
  if (checksum(body) !== check) return undefined
  return { kind: kind as TokenKind, body }
}

/** The stored form of a token: HMAC-SHA256 under a server-side pepper of at least 32 bytes. */
export function hashToken(pepper: Buffer, token: string): Buffer {
  // A short or empty pepper would make stored hashes guessable offline; refuse it outright.
  if (pepper.length < 32) throw new AppError('CONFIG_INVALID', 'token pepper must be ≥ 32 bytes')
  return createHmac('sha256', pepper).update(token, 'utf8').digest()
}

/** Constant-time equality of two token hashes; different lengths are simply unequal. */
export function tokensEqual(a: Buffer, b: Buffer): boolean {
  return a.length === b.length && timingSafeEqual(a, b)
}

// The scanner checks the same 6-character base62 CRC32 (core/scan), so one function serves both.
const checksum = base62Crc32

function toBase62(value: bigint, width: number): string {
  let rest = value
  let out = ''
  while (rest > 0n) {
    out = ALPHABET.charAt(Number(rest % 62n)) + out
    rest /= 62n
  }
  return out.padStart(width, '0')
}
