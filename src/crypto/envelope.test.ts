import { createHmac, randomBytes } from 'node:crypto'
import { describe, expect, it } from 'vitest'
import { isAppError } from '../core/errors.ts'
import { generateDataKey } from './data-key.ts'
import { parseWrappedHeader, unwrapDataKey, wrapDataKey } from './envelope.ts'
import { rootKeyFromBytes } from './root-key.ts'

const WS = 'wsp_0000000000000001'

function codeOf(fn: () => unknown): string | undefined {
  try {
    fn()
  } catch (err) {
    return isAppError(err) ? err.code : 'NOT_APP_ERROR'
  }
  return undefined
}

describe('root key ids', () => {
  it('are the first 8 bytes of HMAC-SHA256(root key, "tresor root key id") in hex', () => {
    const bytes = Buffer.alloc(32, 0x11)
    const expected = createHmac('sha256', bytes).update('tresor root key id').digest('hex')
    expect(rootKeyFromBytes(bytes).id).toBe(expected.slice(0, 16))
    expect(rootKeyFromBytes(bytes).id).not.toContain(bytes.toString('hex').slice(0, 8))
  })

  it('refuse a root key that is not 32 bytes, without echoing it', () => {
    const bytes = Buffer.alloc(31, 0x42)
    expect(() => rootKeyFromBytes(bytes, 'TRESOR_ROOT_KEY')).toThrow(
      'TRESOR_ROOT_KEY must be exactly 32 bytes, got 31',
    )
  })
})

describe('wrapDataKey / unwrapDataKey', () => {
  const root = rootKeyFromBytes(randomBytes(32))
  const dataKey = generateDataKey()
  const context = { workspaceId: WS, keyId: dataKey.keyId }

  it('round-trips the exact key bytes and records the root key id', () => {
    const wrapped = wrapDataKey(root, dataKey, { workspaceId: WS })
    expect(parseWrappedHeader(wrapped).rootKeyId).toBe(root.id)
    const back = unwrapDataKey(root, wrapped, context)
    expect(back.keyId).toBe(dataKey.keyId)
    expect(back.key.export().equals(dataKey.key.export())).toBe(true)
    expect(wrapped.indexOf(dataKey.key.export())).toBe(-1)
    expect(wrapped.indexOf(root.key.export())).toBe(-1)
  })

  it('gives a different wrapped form each time (fresh nonce)', () => {
    const a = wrapDataKey(root, dataKey, { workspaceId: WS })
    const b = wrapDataKey(root, dataKey, { workspaceId: WS })
    expect(a.equals(b)).toBe(false)
  })

  it('refuses another workspace or another key id or version', () => {
    const wrapped = wrapDataKey(root, dataKey, { workspaceId: WS })
    expect(
      codeOf(() => unwrapDataKey(root, wrapped, { ...context, workspaceId: 'wsp_other' })),
    ).toBe('CRYPTO_ERROR')
    const otherVersion = dataKey.keyId.replace(/:v1$/, ':v2')
    expect(codeOf(() => unwrapDataKey(root, wrapped, { ...context, keyId: otherVersion }))).toBe(
      'CRYPTO_ERROR',
    )
  })

  it('refuses an empty workspace id on both sides', () => {
    expect(codeOf(() => wrapDataKey(root, dataKey, { workspaceId: '' }))).toBe('CRYPTO_ERROR')
    const wrapped = wrapDataKey(root, dataKey, { workspaceId: WS })
    expect(codeOf(() => unwrapDataKey(root, wrapped, { ...context, workspaceId: '' }))).toBe(
      'CRYPTO_ERROR',
    )
  })

  it('reports a key wrapped by another root key as UNAVAILABLE (sealed), naming only its id', () => {
    const wrapped = wrapDataKey(root, dataKey, { workspaceId: WS })
    const other = rootKeyFromBytes(randomBytes(32))
    try {
      unwrapDataKey(other, wrapped, context)
      expect.unreachable()
    } catch (err) {
      expect(isAppError(err, 'UNAVAILABLE')).toBe(true)
      expect((err as Error).message).toContain(root.id)
    }
  })

  it('refuses every flipped byte and every truncation', () => {
    const wrapped = wrapDataKey(root, dataKey, { workspaceId: WS })
    for (let i = 0; i < wrapped.length; i++) {
      const tampered = Buffer.from(wrapped)
      tampered[i]! ^= 0x80
      expect(['CRYPTO_ERROR', 'UNAVAILABLE']).toContain(
        codeOf(() => unwrapDataKey(root, tampered, context)),
      )
      expect(codeOf(() => unwrapDataKey(root, wrapped.subarray(0, i), context))).toMatch(
        /CRYPTO_ERROR|UNAVAILABLE/,
      )
    }
  })
})
