/** Secrets shorter than this show only `***` (PRODUCT.md §2.3). */
export const MIN_PREVIEW_LENGTH = 16

/**
 * The masked preview of a secret: first 5 and last 4 characters around `***` for values of 16
 * characters or more, else `***`. Counts Unicode code points so a preview never splits one.
 * @example previewSecret('super-secret-value') // 'super***alue'
 */
export function previewSecret(value: string): string {
  const chars = Array.from(value)
  if (chars.length < MIN_PREVIEW_LENGTH) return '***'
  return `${chars.slice(0, 5).join('')}***${chars.slice(-4).join('')}`
}
