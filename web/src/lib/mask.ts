// The masked preview rule of PRODUCT.md §2.3, for values typed or pasted in this page (stored
// values arrive already masked from the server). Same rule as src/core/masking.ts; a test holds
// the two together.

const MIN_PREVIEW_LENGTH = 16

/** First 5 and last 4 characters around `***` for 16 characters or more, else `***`. */
export function maskValue(value: string): string {
  const chars = Array.from(value)
  if (chars.length < MIN_PREVIEW_LENGTH) return '***'
  return `${chars.slice(0, 5).join('')}***${chars.slice(-4).join('')}`
}
