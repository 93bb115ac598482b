import { describe, expect, it } from 'vitest'
import { explainInvalidName, isValidName } from './variable-name.ts'

describe('variable names', () => {
  it.each(['A', '_', 'DATABASE_URL', 'a.b-c', 'x1', '_9'])('accepts %s', (key) => {
    expect(isValidName(key)).toBe(true)
  })
  it.each([
    ['', 'key is empty'],
    ['1ABC', 'key must start with a letter or underscore'],
    ['-A', 'key must start with a letter or underscore'],
    ['A B', 'key contains whitespace at position 2; allowed are letters, digits, _ . -'],
    [
      'A=B',
      'key contains a punctuation character at position 2; allowed are letters, digits, _ . -',
    ],
    [
      'A\u0000',
      'key contains a control character at position 2; allowed are letters, digits, _ . -',
    ],
    ['Aé', 'key contains a non-ASCII character at position 2; allowed are letters, digits, _ . -'],
    ['A'.repeat(257), 'key is longer than 256 characters'],
  ])('rejects %j with a reason', (key, reason) => {
    expect(explainInvalidName(key)).toBe(reason)
    expect(isValidName(key)).toBe(false)
  })
})
