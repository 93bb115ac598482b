import { createSecretKey, randomBytes, type KeyObject } from 'node:crypto'
import { AppError } from '../core/errors.ts'
import { newId } from '../core/ids.ts'
import { KEY_BYTES } from './gcm.ts'

/**
 * A workspace's unwrapped data key. `keyId` is versioned (`dk_…:v3`) so that blobs sealed under
 * older versions stay readable during rotation. The material is a KeyObject: it prints and
 * serializes as `{}`, so a stray log line cannot show it.
 */
export interface DataKey {
  readonly keyId: string
  readonly key: KeyObject
}

const KEY_ID = /^(dk_[0-9a-hjkmnp-tv-z]{16}):v([1-9][0-9]{0,8})$/

/** Builds the versioned id `dk_…:vN` of a data key. */
export function formatDataKeyId(id: string, version: number): string {
  const keyId = `${id}:v${version}`
  if (!KEY_ID.test(keyId)) throw new AppError('CRYPTO_ERROR', 'malformed data key id or version')
  return keyId
}

/** Splits `dk_…:vN` into its id and version, or undefined when it is not a data key id. */
export function parseDataKeyId(keyId: string): { id: string; version: number } | undefined {
  const match = KEY_ID.exec(keyId)
  if (match?.[1] === undefined || match[2] === undefined) return undefined
  return { id: match[1], version: Number(match[2]) }
}

/** The id of the next version of a data key (`dk_x:v3` → `dk_x:v4`), for data-key rotation. */
export function nextDataKeyId(keyId: string): string {
  const parsed = parseDataKeyId(keyId)
  if (parsed === undefined) throw new AppError('CRYPTO_ERROR', 'malformed data key id')
  return formatDataKeyId(parsed.id, parsed.version + 1)
}

/** Wraps 32 key bytes and their versioned id as a DataKey; the bytes are copied. */
export function dataKeyFromBytes(keyId: string, bytes: Buffer): DataKey {
  if (parseDataKeyId(keyId) === undefined) {
    throw new AppError('CRYPTO_ERROR', 'malformed data key id')
  }
  if (bytes.length !== KEY_BYTES) throw new AppError('CRYPTO_ERROR', 'data key must be 32 bytes')
  return Object.freeze({ keyId, key: createSecretKey(bytes) })
}

/** A fresh random data key; `keyId` defaults to version 1 of a new `dk_` id. */
export function generateDataKey(keyId: string = formatDataKeyId(newId('dataKey'), 1)): DataKey {
  const bytes = randomBytes(KEY_BYTES)
  try {
    return dataKeyFromBytes(keyId, bytes)
  } finally {
    bytes.fill(0)
  }
}
