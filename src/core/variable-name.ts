/** The one key rule of Tresor (PRODUCT.md §2.10), reused by every layer. */
export const VARIABLE_NAME_PATTERN = /^[A-Za-z_][A-Za-z0-9_.-]*$/

/** Longest key accepted; well past any real variable name, short enough for every target. */
export const MAX_VARIABLE_NAME_LENGTH = 256

/** Returns why `key` is not a valid variable name, or undefined when it is. */
export function explainInvalidName(key: string): string | undefined {
  if (key.length === 0) return 'key is empty'
  if (key.length > MAX_VARIABLE_NAME_LENGTH)
    return `key is longer than ${MAX_VARIABLE_NAME_LENGTH} characters`
  if (!/^[A-Za-z_]/.test(key)) return 'key must start with a letter or underscore'
  const bad = /[^A-Za-z0-9_.-]/.exec(key)
  if (bad) return `key contains ${describeChar(bad[0])}; allowed are letters, digits, _ . -`
  return undefined
}

/** True when `key` matches `[A-Za-z_][A-Za-z0-9_.-]*`. */
export function isValidName(key: string): boolean {
  return explainInvalidName(key) === undefined
}

function describeChar(ch: string): string {
  if (ch === ' ') return 'a space'
  const code = ch.codePointAt(0) ?? 0
  if (code < 0x20 || code === 0x7f)
    return `control character U+${code.toString(16).padStart(4, '0')}`
  return `'${ch}'`
}
