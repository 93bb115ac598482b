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
  if (bad)
    return `key contains ${describeChar(bad[0])} at position ${bad.index + 1}; allowed are letters, digits, _ . -`
  return undefined
}

/** True when `key` matches `[A-Za-z_][A-Za-z0-9_.-]*`. */
export function isValidName(key: string): boolean {
  return explainInvalidName(key) === undefined
}

// Names the kind of character, never the character itself: a mis-split multi-line secret can
// reach this check as a "key", and an error message must not carry any of its text.
function describeChar(ch: string): string {
  if (ch === ' ' || ch === '\t') return 'whitespace'
  const code = ch.codePointAt(0) ?? 0
  if (code < 0x20 || code === 0x7f) return 'a control character'
  if (code > 0x7f) return 'a non-ASCII character'
  return 'a punctuation character'
}
