import fc from 'fast-check'

/** Pieces that break naive quoting in one dialect or another. */
const TRICKY = [
  "'",
  '"',
  '`',
  '$',
  '\\',
  '\n',
  '\r',
  '\t',
  ' ',
  '#',
  ';',
  '=',
  ':',
  '(',
  ')',
  '{',
  '}',
  '$(',
  '${',
  '${{',
  '$$',
  "'\\''",
  '\\n',
  '\\r',
  '\\$',
  '\r\n',
  'export ',
  '=x',
  'é',
  '🌍',
  '\u00a0',
  '\u0085',
  '\u2028',
  '\u200b',
  '\ufeff',
  '\u007f',
  '\u0001',
  'a',
  'Z',
  '0',
]
const SPECIAL_WORDS = ['', 'yes', 'no', 'on', 'null', '~', 'true', '0123', '1e3', '0x1F', '.inf']

/** Arbitrary Unicode values (no NUL, no lone surrogate), biased towards quoting hazards. */
export const valueArb: fc.Arbitrary<string> = fc
  .oneof(
    { weight: 3, arbitrary: fc.string({ unit: fc.constantFrom(...TRICKY), maxLength: 12 }) },
    { weight: 2, arbitrary: fc.string({ unit: 'binary', maxLength: 16 }) },
    { weight: 1, arbitrary: fc.constantFrom(...SPECIAL_WORDS) },
    {
      weight: 2,
      arbitrary: fc
        .array(fc.oneof(fc.constantFrom(...TRICKY), fc.string({ unit: 'binary', maxLength: 3 })), {
          maxLength: 10,
        })
        .map((parts) => parts.join('')),
    },
  )
  .map((v) => v.replaceAll('\0', ''))

/** Keys valid for every target: `[A-Za-z_][A-Za-z0-9_]*`, with a prefix so none is special. */
export const shellKeyArb: fc.Arbitrary<string> = fc
  .stringMatching(/^[A-Za-z0-9_]{0,8}$/)
  .map((rest) => `T_${rest}`)

/** A batch of distinct keys with values: many variables per file, as real exports are. */
export function envArb(
  keyArb: fc.Arbitrary<string> = shellKeyArb,
  values: fc.Arbitrary<string> = valueArb,
  minLength = 1,
  maxLength = 12,
): fc.Arbitrary<[string, string][]> {
  return fc.uniqueArray(fc.tuple(keyArb, values), {
    minLength,
    maxLength,
    selector: ([key]) => key,
  })
}
