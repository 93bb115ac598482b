// The variable-name rule of PRODUCT.md §2.10, checked as the user types. The server applies the
// same rule (src/core/variable-name.ts) and stays the judge; test/web/key-rule.test.ts proves
// both give the same verdict and reason for generated keys.

const MAX_LENGTH = 256

function describe(ch: string): string {
  if (ch === ' ' || ch === '\t') return 'whitespace'
  const code = ch.codePointAt(0) ?? 0
  if (code < 0x20 || code === 0x7f) return 'a control character'
  if (code > 0x7f) return 'a non-ASCII character'
  return 'a punctuation character'
}

/** Why `key` is not a valid variable name, or undefined when it is. */
export function explainKey(key: string): string | undefined {
  if (key === '') return 'key is empty'
  if (key.length > MAX_LENGTH) return `key is longer than ${MAX_LENGTH} characters`
  if (!/^[A-Za-z_]/.test(key)) return 'key must start with a letter or underscore'
  const bad = /[^A-Za-z0-9_.-]/.exec(key)
  if (bad !== null) {
    return `key contains ${describe(bad[0])} at position ${bad.index + 1}; allowed are letters, digits, _ . -`
  }
  return undefined
}

const SYSTEM = new Set(['PORT', 'APP_ENV'])

/** True for names Tresor sets at release time (`PORT`, `APP_ENV`, `TRESOR_*`). */
export function isSystemName(key: string): boolean {
  return SYSTEM.has(key) || key.startsWith('TRESOR_')
}
