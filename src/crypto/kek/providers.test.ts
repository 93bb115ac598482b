import { randomBytes } from 'node:crypto'
import { describe, expect, it } from 'vitest'
import { AppError, isAppError } from '../../core/errors.ts'
import { generateDataKey } from '../data-key.ts'
import { parseWrappedHeader } from '../envelope.ts'
import { parseRootKeyBase64 } from '../root-key.ts'
import { createMultiKeyProvider } from './multi-provider.ts'
import { createStaticKeyProvider } from './static-provider.ts'

const WS = 'wsp_0000000000000001'

function thrown(fn: () => unknown): AppError {
  try {
    fn()
  } catch (err) {
    if (err instanceof AppError) return err
    throw err
  }
  throw new Error('expected a refusal')
}

describe('TRESOR_ROOT_KEY parsing', () => {
  it('accepts base64 of 32 bytes, with surrounding whitespace', () => {
    const bytes = randomBytes(32)
    expect(parseRootKeyBase64(` ${bytes.toString('base64')}\n`).equals(bytes)).toBe(true)
  })

  it('refuses 31 bytes without echoing the value', () => {
    const text = randomBytes(31).toString('base64')
    const err = thrown(() => parseRootKeyBase64(text))
    expect(err.code).toBe('CONFIG_INVALID')
    expect(err.message).toBe('TRESOR_ROOT_KEY must decode to exactly 32 bytes, got 31')
    const shown = JSON.stringify({ m: err.message, e: err.errors, meta: err.meta })
    for (let i = 0; i + 6 <= text.length; i++) expect(shown).not.toContain(text.slice(i, i + 6))
  })

  it.each(['', 'not base64 at all!', 'QUJD', `${'A'.repeat(43)}`, 'a-b_'.repeat(11)])(
    'refuses %j',
    (text) => {
      const err = thrown(() => parseRootKeyBase64(text))
      expect(err.code).toBe('CONFIG_INVALID')
      expect(err.message).toMatch(/^TRESOR_ROOT_KEY (is not valid base64|must decode to exactly)/)
    },
  )

  it('the static provider refuses keys that are not 32 bytes', () => {
    expect(thrown(() => createStaticKeyProvider(Buffer.alloc(31))).code).toBe('CONFIG_INVALID')
    expect(thrown(() => createStaticKeyProvider(Buffer.alloc(64))).code).toBe('CONFIG_INVALID')
  })
})

describe('createMultiKeyProvider (root-key rotation)', () => {
  const oldRoot = createStaticKeyProvider(randomBytes(32))
  const newRoot = createStaticKeyProvider(randomBytes(32))
  const dataKey = generateDataKey()
  const context = { workspaceId: WS, keyId: dataKey.keyId }

  it('wraps with the current root key and unwraps keys of either', async () => {
    const multi = createMultiKeyProvider(newRoot, [oldRoot])
    expect(multi.id).toBe(newRoot.id)
    expect(multi.ids).toEqual([newRoot.id, oldRoot.id])
    const underOld = await oldRoot.wrap(dataKey, { workspaceId: WS })
    const underNew = await multi.wrap(dataKey, { workspaceId: WS })
    expect(parseWrappedHeader(underNew).rootKeyId).toBe(newRoot.id)
    for (const wrapped of [underOld, underNew]) {
      const back = await multi.unwrap(wrapped, context)
      expect(back.key.export().equals(dataKey.key.export())).toBe(true)
    }
  })

  it('rejects (never throws synchronously) a key of an unknown root, as UNAVAILABLE', async () => {
    const stranger = createStaticKeyProvider(randomBytes(32))
    const wrapped = await stranger.wrap(dataKey, { workspaceId: WS })
    const multi = createMultiKeyProvider(newRoot, [oldRoot])
    const err: unknown = await multi.unwrap(wrapped, context).catch((e: unknown) => e)
    expect(isAppError(err, 'UNAVAILABLE')).toBe(true)
    const single: unknown = await newRoot.unwrap(wrapped, context).catch((e: unknown) => e)
    expect(isAppError(single, 'UNAVAILABLE')).toBe(true)
  })

  it('still binds the workspace through the multi provider', async () => {
    const wrapped = await oldRoot.wrap(dataKey, { workspaceId: WS })
    const multi = createMultiKeyProvider(newRoot, [oldRoot])
    const err: unknown = await multi
      .unwrap(wrapped, { ...context, workspaceId: 'wsp_0000000000000002' })
      .catch((e: unknown) => e)
    expect(isAppError(err, 'CRYPTO_ERROR')).toBe(true)
  })
})
