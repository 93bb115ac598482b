import { AppError, type ErrorDetail } from '../errors.ts'
import { explainInvalidName } from '../variable-name.ts'
import type { QuoteStyle } from './types.ts'
import { unrepresentableReason, writeValue } from './value.ts'

/** Keys and values to write: a record (own enumerable keys), a Map, or ordered pairs. */
export type EntriesInput =
  | Readonly<Record<string, string>>
  | ReadonlyMap<string, string>
  | ReadonlyArray<readonly [string, string]>

/** The input as ordered pairs; a record keeps its own-key order (null-prototype records welcome). */
export function toPairs(input: EntriesInput): Array<readonly [string, string]> {
  if (Array.isArray(input)) return [...(input as ReadonlyArray<readonly [string, string]>)]
  if (input instanceof Map) return [...(input as ReadonlyMap<string, string>)]
  return Object.entries(input as Readonly<Record<string, string>>)
}

/**
 * Checks every key and value before anything is written: keys follow the key rule and appear
 * once, values are strings without NUL, and no key is both set and deleted.
 */
export function validateChanges(
  pairs: ReadonlyArray<readonly [string, string]>,
  deletes: readonly string[] = [],
): void {
  const errors: ErrorDetail[] = []
  const seen = new Set<string>()
  for (const [key, value] of pairs) {
    const why = explainInvalidName(key)
    if (why !== undefined) errors.push({ key, message: why })
    if (seen.has(key)) errors.push({ key, message: 'key is set more than once' })
    seen.add(key)
    if (typeof value !== 'string') errors.push({ key, message: 'value must be a string' })
    else if (value.includes('\0')) errors.push({ key, message: 'value contains a NUL character' })
  }
  for (const key of new Set(deletes)) {
    const why = explainInvalidName(key)
    if (why !== undefined) errors.push({ key, message: why })
    if (seen.has(key)) errors.push({ key, message: 'key is both set and deleted' })
  }
  if (errors.length === 0) return
  const count = errors.length === 1 ? '1 problem' : `${errors.length} problems`
  throw new AppError('VALIDATION_FAILED', `invalid variables (${count})`, errors)
}

/**
 * The written form of each value, in each key's preferred quote style where it fits; throws one
 * UNREPRESENTABLE_VALUE naming every key whose value no dotenv syntax can carry.
 */
export function writeAll(
  items: ReadonlyArray<{
    key: string
    value: string
    preferred?: QuoteStyle
  }>,
): string[] {
  const out: string[] = []
  const errors: ErrorDetail[] = []
  for (const { key, value, preferred } of items) {
    const written = writeValue(value, preferred)
    if (written === undefined) errors.push({ key, message: unrepresentableReason(value) })
    out.push(written ?? '')
  }
  if (errors.length === 0) return out
  const keys = errors.map((e) => e.key).join(', ')
  throw new AppError(
    'UNREPRESENTABLE_VALUE',
    `values cannot be written in dotenv syntax: ${keys}`,
    errors,
  )
}
