import { randomBytes } from 'node:crypto'
import { AppError } from '../core/errors.ts'
import { dataKeyFromBytes, type DataKey } from './data-key.ts'
import { byteReader, encodeFields, encodeShortString, readShortString } from './fields.ts'
import { decryptWithNonce, encryptWithNonce, KEY_BYTES, NONCE_BYTES, TAG_BYTES } from './gcm.ts'
import type { RootKey } from './root-key.ts'

/** What a wrapped data key is bound to when it is wrapped. */
export interface WrapContext {
  readonly workspaceId: string
}

/** What the reader expects a wrapped data key to be bound to. */
export interface UnwrapContext extends WrapContext {
  readonly keyId: string
}

/**
 * A wrapped data key: `[version 0x01][root key id length][root key id][provider payload]`. Every
 * KeyProvider writes this header so a multi-key provider can route by root key id.
 */
export type WrappedKey = Buffer

const FORMAT_V1 = 0x01
const WRAP_LABEL = 'tresor.wrap.v1'

function wrapAad(rootKeyId: string, ctx: UnwrapContext): Buffer {
  // An empty id would bind the key to nothing; refuse rather than wrap or unwrap loosely.
  if (typeof ctx.workspaceId !== 'string' || ctx.workspaceId.length === 0) {
    throw new AppError('CRYPTO_ERROR', 'a workspace id is required to wrap or unwrap a data key')
  }
  return encodeFields(WRAP_LABEL, [rootKeyId, ctx.workspaceId, ctx.keyId])
}

/** Builds a wrapped key's header; providers other than the static one use it too. */
export function encodeWrappedHeader(rootKeyId: string): Buffer {
  return Buffer.concat([Buffer.from([FORMAT_V1]), encodeShortString(rootKeyId)])
}

/** Reads which root key wrapped a data key, without unwrapping; throws CRYPTO_ERROR if garbled. */
export function parseWrappedHeader(wrapped: WrappedKey): { rootKeyId: string; payload: Buffer } {
  try {
    const reader = byteReader(wrapped)
    if (reader.u8() !== FORMAT_V1) throw new RangeError('unknown format')
    const rootKeyId = readShortString(reader)
    return { rootKeyId, payload: reader.rest() }
  } catch {
    throw new AppError('CRYPTO_ERROR', 'wrapped data key is malformed')
  }
}

/** Encrypts a data key under a root key, bound to its workspace and versioned key id. */
export function wrapDataKey(rootKey: RootKey, dataKey: DataKey, context: WrapContext): WrappedKey {
  const ctx = { workspaceId: context.workspaceId, keyId: dataKey.keyId }
  const material = dataKey.key.export()
  try {
    const nonce = randomBytes(NONCE_BYTES)
    const aad = wrapAad(rootKey.id, ctx)
    const { ciphertext, tag } = encryptWithNonce(rootKey.key, nonce, material, aad)
    return Buffer.concat([encodeWrappedHeader(rootKey.id), nonce, ciphertext, tag])
  } finally {
    material.fill(0)
  }
}

/**
 * Decrypts a wrapped data key. A key wrapped by another root key is UNAVAILABLE (the server is
 * sealed for it); a tampered key or one moved to another workspace or key id is CRYPTO_ERROR.
 */
export function unwrapDataKey(
  rootKey: RootKey,
  wrapped: WrappedKey,
  context: UnwrapContext,
): DataKey {
  const { rootKeyId, payload } = parseWrappedHeader(wrapped)
  if (rootKeyId !== rootKey.id) throw rootKeyMissing(rootKeyId)
  let material: Buffer | undefined
  try {
    if (payload.length !== NONCE_BYTES + KEY_BYTES + TAG_BYTES) throw new RangeError('size')
    const nonce = payload.subarray(0, NONCE_BYTES)
    const ciphertext = payload.subarray(NONCE_BYTES, NONCE_BYTES + KEY_BYTES)
    const tag = payload.subarray(NONCE_BYTES + KEY_BYTES)
    material = decryptWithNonce(rootKey.key, nonce, ciphertext, tag, wrapAad(rootKeyId, context))
    return dataKeyFromBytes(context.keyId, material)
  } catch {
    throw new AppError('CRYPTO_ERROR', `data key ${context.keyId} could not be unwrapped`)
  } finally {
    material?.fill(0)
  }
}

/** The error for a data key whose root key is not loaded; the id is a public fingerprint. */
export function rootKeyMissing(rootKeyId: string): AppError {
  return new AppError(
    'UNAVAILABLE',
    `data key is wrapped by root key ${rootKeyId}, which is not configured (sealed)`,
  )
}
