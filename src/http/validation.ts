import type { FastifySchemaCompiler, FastifySchemaValidationError } from 'fastify'
import type { z } from 'zod'
import { explainInvalidName } from '../core/variable-name.ts'

// A record key that fails its schema is the user's text: `{"env":{"API_KEY=sk_live…":""}}` is a
// pasted line whose "key" holds a secret. The problem names the record and why, never the key.
function entryOf(issue: z.core.$ZodIssue): FastifySchemaValidationError {
  if (issue.code === 'invalid_key') {
    const key = issue.path.at(-1)
    const why = typeof key === 'string' ? explainInvalidName(key) : undefined
    return {
      keyword: issue.code,
      instancePath: `/${issue.path.slice(0, -1).map(String).join('/')}`,
      schemaPath: '',
      params: {},
      message: `has an invalid key: ${why ?? 'it does not match the key rule'}`,
    }
  }
  return {
    keyword: issue.code,
    instancePath: `/${issue.path.map(String).join('/')}`,
    schemaPath: '',
    params: {},
    message: issue.message,
  }
}

// Zod's internals as far as the fast checks below read them (zod 4: `schema._zod.def`).
interface ZodInternals {
  _zod: { def: Record<string, unknown>; traits: ReadonlySet<string> }
}

/** One field of a flat object: its test, and whether it may be absent. */
interface FastField {
  key: string
  optional: boolean
  test: (value: unknown) => boolean
}

const internals = (schema: unknown): ZodInternals['_zod'] | undefined => {
  const zod = (schema as Partial<ZodInternals> | null)?._zod
  return zod?.def !== undefined && zod.traits instanceof Set ? zod : undefined
}

/** A test for one of the checks of a plain `z.string()`; undefined when not one of these. */
function stringCheck(check: unknown): ((value: string) => boolean) | undefined {
  const def = internals(check)?.def
  if (def === undefined) return undefined
  const { minimum, maximum, pattern, fn } = def
  if (def['check'] === 'min_length' && typeof minimum === 'number')
    return (v) => v.length >= minimum
  if (def['check'] === 'max_length' && typeof maximum === 'number')
    return (v) => v.length <= maximum
  if (
    def['check'] === 'string_format' &&
    def['format'] === 'regex' &&
    pattern instanceof RegExp &&
    !pattern.global &&
    !pattern.sticky
  )
    return (v) => pattern.test(v)
  // `.refine(fn)` without `when`: passes when `fn` returns true (zod: anything truthy).
  if (
    def['check'] === 'custom' &&
    def['type'] === 'custom' &&
    typeof fn === 'function' &&
    def['when'] === undefined
  ) {
    const refine = fn as (value: string) => unknown
    return (v) => refine(v) === true
  }
  return undefined
}

/** A test that accepts only what `schema` accepts unchanged, for the few kinds of field known here. */
function fieldTest(schema: unknown): FastField['test'] | undefined {
  const zod = internals(schema)
  if (zod === undefined) return undefined
  const { def, traits } = zod
  const checks = (def['checks'] ?? []) as unknown[]
  // A plain z.string() (no coercion, not a format such as z.email(), which is a check itself).
  if (
    traits.has('$ZodString') &&
    !traits.has('$ZodCheck') &&
    def['type'] === 'string' &&
    def['coerce'] !== true &&
    def['format'] === undefined
  ) {
    const tests = checks.map(stringCheck)
    if (tests.some((t) => t === undefined)) return undefined
    const all = tests as ((v: string) => boolean)[]
    return (v) => typeof v === 'string' && all.every((t) => t(v))
  }
  if (traits.has('$ZodEnum') && def['type'] === 'enum' && checks.length === 0) {
    const values = Object.values(def['entries'] as Record<string, unknown>)
    if (!values.every((v) => typeof v === 'string')) return undefined
    const set = new Set<unknown>(values)
    return (v) => set.has(v)
  }
  return undefined
}

/**
 * A check of a flat `z.object` of plain strings and string enums (optional or not, checked by
 * length, regex or `.refine`) that returns what `safeParse` would return for input it accepts,
 * and undefined for anything else (zod then decides and words the problems). Zod's generic path
 * costs ~10 µs a call in a server (its code is cold between requests); this, under one. Any other
 * schema gets none.
 */
export function fastObjectCheck(
  schema: unknown,
): ((data: unknown) => object | undefined) | undefined {
  const zod = internals(schema)
  if (zod === undefined) return undefined
  const { def, traits } = zod
  if (!traits.has('$ZodObject') || def['type'] !== 'object') return undefined
  if (def['catchall'] !== undefined || ((def['checks'] ?? []) as unknown[]).length > 0)
    return undefined
  const shape = def['shape'] as Record<string, unknown>
  if (Object.getOwnPropertySymbols(shape).length > 0) return undefined
  const fields: FastField[] = []
  for (const [key, field] of Object.entries(shape)) {
    const inner = internals(field)
    const optional =
      inner !== undefined &&
      inner.traits.has('$ZodOptional') &&
      !inner.traits.has('$ZodExactOptional') &&
      inner.def['type'] === 'optional' &&
      ((inner.def['checks'] ?? []) as unknown[]).length === 0
    const test = fieldTest(optional ? inner.def['innerType'] : field)
    if (test === undefined) return undefined
    fields.push({ key, optional, test })
  }
  return (data) => {
    if (typeof data !== 'object' || data === null || Array.isArray(data)) return undefined
    const input = data as Record<string, unknown>
    const out: Record<string, unknown> = {}
    for (const { key, optional, test } of fields) {
      const value = input[key]
      if (value === undefined) {
        // Absent: fine when optional (left out, as zod does); a present undefined goes to zod.
        if (optional && !(key in input)) continue
        return undefined
      }
      if (!test(value)) return undefined
      out[key] = value
    }
    return out
  }
}

/**
 * Validates requests with their zod schemas (as fastify-type-provider-zod does), turning each
 * issue into an entry that names the field and the expectation, never the rejected input. Flat
 * objects of strings (path parameters, small bodies such as a PUT of one variable) are accepted
 * by a fast check first; what it does not accept is left to zod.
 */
export const validatorCompiler: FastifySchemaCompiler<z.ZodType> = ({ schema }) => {
  const fast = fastObjectCheck(schema)
  return (data) => {
    const value = fast?.(data)
    if (value !== undefined) return { value }
    const result = schema.safeParse(data)
    if (result.success) return { value: result.data }
    return { error: result.error.issues.map(entryOf) }
  }
}
