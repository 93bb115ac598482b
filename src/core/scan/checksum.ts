import { crc32 } from 'node:zlib'

const BASE62 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz'

/**
 * The 6-character base62 CRC32 of `body`, the check digits of Tresor and GitHub tokens. Both
 * formats append it so that a scanner can tell a real token from a look-alike offline.
 */
export function base62Crc32(body: string): string {
  let rest = crc32(body)
  let out = ''
  while (rest > 0) {
    out = BASE62.charAt(rest % 62) + out
    rest = Math.floor(rest / 62)
  }
  return out.padStart(6, '0')
}

/** True when the last 6 characters of `token` are the base62 CRC32 of `token[from..-6]`. */
export function hasValidBase62Crc32(token: string, from: number): boolean {
  return base62Crc32(token.slice(from, -6)) === token.slice(-6)
}

/** Shannon entropy in bits per character: placeholders like `xxxx…` score near zero. */
export function shannonEntropy(text: string): number {
  const counts = new Map<string, number>()
  for (const c of text) counts.set(c, (counts.get(c) ?? 0) + 1)
  let bits = 0
  for (const n of counts.values()) {
    const p = n / text.length
    bits -= p * Math.log2(p)
  }
  return bits
}
