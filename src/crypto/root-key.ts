import { createHmac, createSecretKey, type KeyObject } from 'node:crypto'
import { AppError } from '../core/errors.ts'
import { KEY_BYTES } from './gcm.ts'

/**
 * A root key (key-encryption key). `id` is a public fingerprint derived from the key, stored next
 * to every wrapped data key so the right root key is chosen after a rotation; the key itself is a
 * KeyObject, which never prints its bytes.
 */
export interface RootKey {
  readonly id: string
  readonly key: KeyObject
}

const ID_LABEL = 'tresor root key id'

/** Builds a RootKey from exactly 32 bytes (copied); `source` names where they came from. */
export function rootKeyFromBytes(bytes: Buffer, source = 'root key'): RootKey {
  if (bytes.length !== KEY_BYTES) {
    throw new AppError(
      'CONFIG_INVALID',
      `${source} must be exactly 32 bytes, got ${bytes.length}`,
      [{ field: source, message: 'must be 32 bytes' }],
    )
  }
  const key = createSecretKey(bytes)
  // A one-way fingerprint: it names the key without letting anyone recover or test-decrypt it.
  const id = createHmac('sha256', key).update(ID_LABEL).digest().subarray(0, 8).toString('hex')
  return Object.freeze({ id, key })
}

const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/

/**
 * Decodes a root key given as base64 text (e.g. `TRESOR_ROOT_KEY`) and checks it is 32 bytes.
 * The error names the source and the decoded length, never the text.
 */
export function parseRootKeyBase64(text: string, source = 'TRESOR_ROOT_KEY'): Buffer {
  const trimmed = text.trim()
  if (trimmed.length === 0 || !BASE64.test(trimmed)) {
    throw new AppError('CONFIG_INVALID', `${source} is not valid base64 (expected 32 bytes)`, [
      { field: source, message: 'must be standard base64 of 32 random bytes' },
    ])
  }
  const bytes = Buffer.from(trimmed, 'base64')
  if (bytes.length !== KEY_BYTES) {
    bytes.fill(0)
    throw new AppError(
      'CONFIG_INVALID',
      `${source} must decode to exactly 32 bytes, got ${bytes.length}`,
      [{ field: source, message: 'must be base64 of 32 random bytes (openssl rand -base64 32)' }],
    )
  }
  return bytes
}
