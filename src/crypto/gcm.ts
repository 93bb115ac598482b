import { createCipheriv, createDecipheriv, type KeyObject } from 'node:crypto'

// Internal AES-256-GCM primitives shared by sealing and key wrapping. Not exported from index:
// only these two modules choose nonces, so a caller can never pass a repeated one.

export const NONCE_BYTES = 12
export const TAG_BYTES = 16
export const KEY_BYTES = 32

/** AES-256-GCM encryption with an explicit nonce; returns ciphertext and 128-bit tag. */
export function encryptWithNonce(
  key: KeyObject | Buffer,
  nonce: Buffer,
  plaintext: Buffer,
  aad: Buffer,
): { ciphertext: Buffer; tag: Buffer } {
  if (nonce.length !== NONCE_BYTES) throw new RangeError('nonce must be 12 bytes')
  const cipher = createCipheriv('aes-256-gcm', key, nonce, { authTagLength: TAG_BYTES })
  cipher.setAAD(aad)
  const ciphertext = joined(cipher.update(plaintext), cipher.final())
  return { ciphertext, tag: cipher.getAuthTag() }
}

/**
 * AES-256-GCM decryption; throws (with Node's own message) when the tag does not verify.
 * `authTagLength` is pinned so a shortened tag is refused rather than checked on fewer bits.
 */
export function decryptWithNonce(
  key: KeyObject | Buffer,
  nonce: Buffer,
  ciphertext: Buffer,
  tag: Buffer,
  aad: Buffer,
): Buffer {
  if (nonce.length !== NONCE_BYTES || tag.length !== TAG_BYTES) throw new RangeError('bad sizes')
  const decipher = createDecipheriv('aes-256-gcm', key, nonce, { authTagLength: TAG_BYTES })
  decipher.setAAD(aad)
  decipher.setAuthTag(tag)
  return joined(decipher.update(ciphertext), decipher.final())
}

// GCM is a stream mode: `final()` returns no bytes, so the whole output is usually `update()`'s
// and copying it into a new buffer (a document of several KB on every read) can be skipped.
function joined(head: Buffer, tail: Buffer): Buffer {
  return tail.length === 0 ? head : Buffer.concat([head, tail])
}
