/** The closed list of error codes every layer uses; the HTTP edge maps each to a status. */
export const ERROR_CODES = [
  'BAD_REQUEST',
  'VALIDATION_FAILED',
  'UNAUTHENTICATED',
  'FORBIDDEN',
  'NOT_FOUND',
  'CONFLICT',
  'PRECONDITION_FAILED',
  'GONE',
  'PAYLOAD_TOO_LARGE',
  'UNSUPPORTED_MEDIA_TYPE',
  'RATE_LIMITED',
  'RESERVED_VARIABLE',
  'REFERENCE_ERROR',
  'PARSE_ERROR',
  'UNREPRESENTABLE_VALUE',
  'CRYPTO_ERROR',
  'SCHEMA_TOO_NEW',
  'CONFIG_INVALID',
  'UNAVAILABLE',
  'INTERNAL',
] as const

export type ErrorCode = (typeof ERROR_CODES)[number]

/** HTTP status per code; adding a code without a status is a compile error. */
export const ERROR_STATUS: Record<ErrorCode, number> = {
  BAD_REQUEST: 400,
  VALIDATION_FAILED: 400,
  UNAUTHENTICATED: 401,
  FORBIDDEN: 403,
  NOT_FOUND: 404,
  CONFLICT: 409,
  PRECONDITION_FAILED: 412,
  GONE: 410,
  PAYLOAD_TOO_LARGE: 413,
  UNSUPPORTED_MEDIA_TYPE: 415,
  RATE_LIMITED: 429,
  RESERVED_VARIABLE: 422,
  REFERENCE_ERROR: 422,
  PARSE_ERROR: 400,
  UNREPRESENTABLE_VALUE: 422,
  CRYPTO_ERROR: 500,
  SCHEMA_TOO_NEW: 500,
  CONFIG_INVALID: 500,
  UNAVAILABLE: 503,
  INTERNAL: 500,
}

/** One problem in a request: the key, line (1-based) or field it concerns, and why. */
export interface ErrorDetail {
  key?: string
  line?: number
  column?: number
  field?: string
  message: string
}

/**
 * The one error type of Tresor. Messages and details must never contain a value, token or key
 * material: they name keys, lines and fields only.
 */
export class AppError extends Error {
  readonly code: ErrorCode
  readonly errors: ErrorDetail[]
  readonly meta: Record<string, unknown>

  constructor(
    code: ErrorCode,
    message: string,
    errors: ErrorDetail[] = [],
    meta: Record<string, unknown> = {},
  ) {
    super(message)
    this.name = 'AppError'
    this.code = code
    this.errors = errors
    this.meta = meta
  }

  get status(): number {
    return ERROR_STATUS[this.code]
  }
}

/** True when `err` is an AppError, optionally of the given code. */
export function isAppError(err: unknown, code?: ErrorCode): err is AppError {
  return err instanceof AppError && (code === undefined || err.code === code)
}
