import { describe, expect, it } from 'vitest'
import { isAppError } from '../core/errors.ts'
import { SHARED_ENVIRONMENT, type Aad } from './aad.ts'
import { openValue, parseSealedHeader, sealValue } from './aead.ts'
import { dataKeyFromBytes, generateDataKey, nextDataKeyId, type DataKey } from './data-key.ts'

const AAD: Aad = {
  workspaceId: 'wsp_0000000000000001',
  projectId: 'prj_0000000000000001',
  environmentId: 'env_0000000000000001',
  revisionId: 'rev_0000000000000001',
}
const FIELDS = ['workspaceId', 'projectId', 'environmentId', 'revisionId'] as const
const DOC =
  'DATABASE_URL=postgres://u:CANARY_s3cr3t_9f8e7d6c5b4a@db/x\nAPI_KEY=CANARY_abcdef0123456789\n'

/** Runs `fn`, expecting the one generic CRYPTO_ERROR, and returns that error for inspection. */
function expectOpenFailure(fn: () => unknown): Error {
  try {
    fn()
  } catch (err) {
    expect(isAppError(err, 'CRYPTO_ERROR')).toBe(true)
    expect((err as Error).message).toBe('ciphertext could not be opened')
    expect((err as Error).cause).toBeUndefined()
    return err as Error
  }
  throw new Error('expected the blob to be refused')
}

describe('sealValue / openValue', () => {
  const key = generateDataKey()

  it('round-trips strings, buffers, empty and large plaintexts', () => {
    expect(openValue(key, sealValue(key, DOC, AAD), AAD).toString('utf8')).toBe(DOC)
    const bytes = Buffer.from([0, 1, 2, 255, 254])
    expect(openValue(key, sealValue(key, bytes, AAD), AAD)).toEqual(bytes)
    expect(openValue(key, sealValue(key, '', AAD), AAD)).toEqual(Buffer.alloc(0))
    const large = Buffer.alloc(1 << 20, 7)
    expect(openValue(key, sealValue(key, large, AAD), AAD).equals(large)).toBe(true)
  })

  it('lays the blob out as version, key id, nonce, ciphertext, tag', () => {
    const blob = sealValue(key, 'abc', AAD)
    expect(blob[0]).toBe(1)
    expect(blob[1]).toBe(key.keyId.length)
    expect(blob.subarray(2, 2 + key.keyId.length).toString('ascii')).toBe(key.keyId)
    expect(blob.length).toBe(2 + key.keyId.length + 12 + 3 + 16)
    expect(parseSealedHeader(blob)).toEqual({ version: 1, keyId: key.keyId })
  })

  it('uses a fresh nonce: sealing the same plaintext twice gives different blobs', () => {
    const blobs = Array.from({ length: 1000 }, () => sealValue(key, DOC, AAD))
    const nonces = new Set(
      blobs.map((b) => b.subarray(2 + key.keyId.length, 14 + key.keyId.length).toString('hex')),
    )
    expect(nonces.size).toBe(1000)
    expect(new Set(blobs.map((b) => b.toString('hex'))).size).toBe(1000)
  })

  it('never contains the plaintext or any 8-byte run of it', () => {
    const blob = sealValue(key, DOC, AAD)
    const plain = Buffer.from(DOC)
    for (let i = 0; i + 8 <= plain.length; i++) {
      expect(blob.indexOf(plain.subarray(i, i + 8))).toBe(-1)
    }
  })

  it('refuses every single flipped byte (header, nonce, ciphertext, tag)', () => {
    const blob = sealValue(key, DOC, AAD)
    for (let i = 0; i < blob.length; i++) {
      for (const mask of [0x01, 0x80, 0xff]) {
        const tampered = Buffer.from(blob)
        tampered[i]! ^= mask
        expectOpenFailure(() => openValue(key, tampered, AAD))
      }
    }
  })

  it('refuses every truncation and an appended byte', () => {
    const blob = sealValue(key, DOC, AAD)
    for (let n = 0; n < blob.length; n++)
      expectOpenFailure(() => openValue(key, blob.subarray(0, n), AAD))
    expectOpenFailure(() => openValue(key, Buffer.concat([blob, Buffer.from([0])]), AAD))
  })

  it.each(FIELDS)('refuses the blob when only %s differs', (field) => {
    const blob = sealValue(key, DOC, AAD)
    expectOpenFailure(() => openValue(key, blob, { ...AAD, [field]: `${AAD[field]}x` }))
  })

  it('refuses the blob when two AAD fields are swapped', () => {
    const aad = { ...AAD, projectId: 'same-a', environmentId: 'same-b' }
    const blob = sealValue(key, DOC, aad)
    expectOpenFailure(() =>
      openValue(key, blob, { ...aad, projectId: 'same-b', environmentId: 'same-a' }),
    )
  })

  it('encodes AAD unambiguously: ("ab","c") is not ("a","bc")', () => {
    const blob = sealValue(key, DOC, { ...AAD, workspaceId: 'ab', projectId: 'c' })
    expectOpenFailure(() => openValue(key, blob, { ...AAD, workspaceId: 'a', projectId: 'bc' }))
  })

  it('binds the shared-document marker like any environment id', () => {
    const shared = { ...AAD, environmentId: SHARED_ENVIRONMENT }
    const blob = sealValue(key, DOC, shared)
    expect(openValue(key, blob, shared).toString()).toBe(DOC)
    expectOpenFailure(() => openValue(key, blob, AAD))
  })

  it('refuses a wrong key, both under the same key id and under another one', () => {
    const blob = sealValue(key, DOC, AAD)
    expectOpenFailure(() => openValue(generateDataKey(key.keyId), blob, AAD))
    expectOpenFailure(() => openValue(generateDataKey(), blob, AAD))
    expectOpenFailure(() => openValue(generateDataKey(nextDataKeyId(key.keyId)), blob, AAD))
  })

  it('refuses to seal with an empty AAD field, naming the field', () => {
    expect(() => sealValue(key, DOC, { ...AAD, revisionId: '' })).toThrow(
      /AAD field revisionId is empty/,
    )
  })

  it('keeps key bytes and plaintext out of the error', () => {
    const bytes = Buffer.alloc(32, 0x5a)
    const k: DataKey = dataKeyFromBytes(key.keyId, bytes)
    const err = expectOpenFailure(() => openValue(k, sealValue(key, DOC, AAD), AAD))
    const text = JSON.stringify({ ...err, message: err.message, stack: err.stack })
    expect(text).not.toContain('CANARY')
    expect(text).not.toContain(bytes.toString('hex'))
    expect(text).not.toContain(bytes.toString('base64'))
    expect(JSON.stringify(k)).toBe(`{"keyId":"${key.keyId}","key":{}}`)
  })

  it('parseSealedHeader refuses garbage with the generic error', () => {
    expectOpenFailure(() => parseSealedHeader(Buffer.from('not a sealed blob at all, no')))
    expectOpenFailure(() => parseSealedHeader(Buffer.alloc(0)))
  })
})
