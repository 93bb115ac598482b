import { z } from 'zod'
import { ERROR_CODES } from '../core/errors.ts'

/** The closed list of error codes, as they appear in a problem's `code`. */
export const ErrorCodeSchema = z.enum(ERROR_CODES)

/** One problem in a request: which key, line or field, and why (never the value). */
export const ErrorDetailSchema = z.object({
  key: z.string().optional(),
  line: z.number().int().positive().optional(),
  column: z.number().int().positive().optional(),
  field: z.string().optional(),
  message: z.string(),
})

/**
 * An RFC 9457 problem document (`application/problem+json`), plus Tresor's `code` and
 * `requestId`. Some codes add members: `currentRevision` on 412, `retryAfter` on 429.
 */
export const ProblemSchema = z
  .object({
    type: z.string().describe('URI reference identifying the problem type'),
    title: z.string().describe('Short summary of the problem type'),
    status: z.number().int().min(400).max(599),
    detail: z.string().describe('What went wrong in this request; never contains a value'),
    code: ErrorCodeSchema,
    requestId: z.string().describe('Also in the x-request-id response header'),
    errors: z.array(ErrorDetailSchema).optional(),
  })
  .loose()

export type Problem = z.infer<typeof ProblemSchema>
export type ErrorDetailWire = z.infer<typeof ErrorDetailSchema>

/** The problem `type` URI of a code: a stable relative reference documented in docs/errors. */
export function problemType(code: (typeof ERROR_CODES)[number]): string {
  return `/problems/${code.toLowerCase().replaceAll('_', '-')}`
}
