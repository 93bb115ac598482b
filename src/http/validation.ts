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

/**
 * Validates requests with their zod schemas (as fastify-type-provider-zod does), turning each
 * issue into an entry that names the field and the expectation, never the rejected input.
 */
export const validatorCompiler: FastifySchemaCompiler<z.ZodType> =
  ({ schema }) =>
  (data) => {
    const result = schema.safeParse(data)
    if (result.success) return { value: result.data }
    return { error: result.error.issues.map(entryOf) }
  }
