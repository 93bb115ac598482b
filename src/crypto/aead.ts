import { AppError } from '../core/errors.ts'
import { freshRandomBytes } from '../core/random.ts'
import { encodeSealAad, type Aad } from './aad.ts'
import type { DataKey } from './data-key.ts'
import { byteReader, encodeShortString, readShortString } from './fields.ts'
import { decryptWithNonce, encryptWithNonce, NONCE_BYTES, TAG_BYTES } from './gcm.ts'

/**
 * A sealed value: `[version 0x01][key id length][key id][nonce 12][ciphertext][tag 16]`. The key
 * id in clear lets a reader pick the right data key version while old and new ones coexist.
 */
export type Sealed = Buffer

const FORMAT_V1 = 0x01
const VERSION_BYTE = Buffer.from([FORMAT_V1])

// One message for every way opening can fail, so a caller (or attacker) learns nothing about
// which check refused the blob.
const openFailed = (): AppError => new AppError('CRYPTO_ERROR', 'ciphertext could not be opened')

/** Seals `plaintext` under `key` with a fresh random nonce, bound to the row described by `aad`. */
export function sealValue(key: DataKey, plaintext: Buffer | string, aad: Aad): Sealed {
  const aadBytes = encodeSealAad(aad, key.keyId)
  const data = typeof plaintext === 'string' ? Buffer.from(plaintext, 'utf8') : plaintext
  // A fresh 96-bit nonce from the CSPRNG for every seal (a pooled draw: never handed out twice).
  const nonce = freshRandomBytes(NONCE_BYTES)
  try {
    const { ciphertext, tag } = encryptWithNonce(key.key, nonce, data, aadBytes)
    return Buffer.concat([VERSION_BYTE, encodeShortString(key.keyId), nonce, ciphertext, tag])
  } catch {
    throw new AppError('CRYPTO_ERROR', 'value could not be sealed')
  } finally {
    if (data !== plaintext) data.fill(0)
  }
}

/** Reads the format version and data key id of a sealed blob without decrypting it. */
export function parseSealedHeader(blob: Buffer): { version: number; keyId: string } {
  return parseSealed(blob).header
}

/** Opens a sealed blob; any tampering, wrong key, wrong row or truncation throws CRYPTO_ERROR. */
export function openValue(key: DataKey, sealed: Sealed, aad: Aad): Buffer {
  const { header, nonce, ciphertext, tag } = parseSealed(sealed)
  if (header.keyId !== key.keyId) throw openFailed()
  try {
    return decryptWithNonce(key.key, nonce, ciphertext, tag, encodeSealAad(aad, header.keyId))
  } catch {
    throw openFailed()
  }
}

function parseSealed(blob: Buffer): {
  header: { version: number; keyId: string }
  nonce: Buffer
  ciphertext: Buffer
  tag: Buffer
} {
  try {
    const reader = byteReader(blob)
    const version = reader.u8()
    if (version !== FORMAT_V1) throw new RangeError('unknown format')
    const keyId = readShortString(reader)
    const nonce = reader.bytes(NONCE_BYTES)
    const body = reader.rest()
    if (body.length < TAG_BYTES) throw new RangeError('truncated')
    const ciphertext = body.subarray(0, body.length - TAG_BYTES)
    return { header: { version, keyId }, nonce, ciphertext, tag: body.subarray(-TAG_BYTES) }
  } catch {
    throw openFailed()
  }
}
