import { describe, expect, it } from 'vitest'
import { newId, isId } from './ids.ts'
import { previewSecret } from './masking.ts'

describe('previewSecret', () => {
  it.each([
    ['super-secret-value', 'super***alue'],
    ['0123456789abcdef', '01234***cdef'],
    ['0123456789abcde', '***'],
    ['', '***'],
    ['ééééééééééééééé😀', 'ééééé***ééé😀'],
  ])('%j → %j', (value, preview) => {
    expect(previewSecret(value)).toBe(preview)
  })
  it('never shows more than 9 characters of the value', () => {
    const value = 'x'.repeat(1000)
    expect(previewSecret(value).replaceAll('*', '')).toHaveLength(9)
  })
})

describe('ids', () => {
  it('are prefixed, well-formed and distinct', () => {
    const ids = new Set(Array.from({ length: 1000 }, () => newId('project')))
    expect(ids.size).toBe(1000)
    for (const id of ids) expect(isId('project', id)).toBe(true)
    expect(isId('environment', newId('project'))).toBe(false)
  })
})
