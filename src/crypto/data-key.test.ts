import { describe, expect, it } from 'vitest'
import { isAppError } from '../core/errors.ts'
import {
  dataKeyFromBytes,
  formatDataKeyId,
  generateDataKey,
  nextDataKeyId,
  parseDataKeyId,
} from './data-key.ts'

describe('data keys', () => {
  it('have versioned ids dk_…:vN that parse and step', () => {
    const key = generateDataKey()
    expect(key.keyId).toMatch(/^dk_[0-9a-hjkmnp-tv-z]{16}:v1$/)
    const parsed = parseDataKeyId(key.keyId)
    expect(parsed?.version).toBe(1)
    expect(nextDataKeyId(key.keyId)).toBe(`${parsed?.id}:v2`)
    expect(formatDataKeyId('dk_0000000000000000', 12)).toBe('dk_0000000000000000:v12')
  })

  it.each([
    '',
    'dk_0000000000000000',
    'dk_0000000000000000:v0',
    'prj_0000000000000000:v1',
    'dk_x:v1',
  ])('refuses the malformed key id %j', (keyId) => {
    expect(parseDataKeyId(keyId)).toBeUndefined()
    expect(() => dataKeyFromBytes(keyId, Buffer.alloc(32))).toThrow(/malformed data key id/)
  })

  it('are 32 random bytes, distinct each time, and refuse other sizes', () => {
    const a = generateDataKey().key.export()
    const b = generateDataKey().key.export()
    expect(a.length).toBe(32)
    expect(a.equals(b)).toBe(false)
    const id = 'dk_0000000000000000:v1'
    for (const n of [0, 16, 31, 33]) {
      let caught: unknown
      try {
        dataKeyFromBytes(id, Buffer.alloc(n))
      } catch (err) {
        caught = err
      }
      expect(isAppError(caught, 'CRYPTO_ERROR')).toBe(true)
    }
  })
})
