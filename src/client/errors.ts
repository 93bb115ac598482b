import { AppError, ERROR_CODES, type ErrorCode, type ErrorDetail } from '../core/errors.ts'

/**
 * An error answered by a Tresor server (or the lack of one): the problem's code, message,
 * details and request id. Messages never quote a request or response body.
 */
export class ApiError extends AppError {
  /** The HTTP status; 0 when no response arrived (server down, timeout). */
  readonly httpStatus: number
  readonly requestId: string | undefined

  constructor(
    code: ErrorCode,
    message: string,
    init: {
      httpStatus: number
      requestId?: string | undefined
      errors?: ErrorDetail[]
      meta?: Record<string, unknown>
    },
  ) {
    super(code, message, init.errors ?? [], init.meta ?? {})
    this.name = 'ApiError'
    this.httpStatus = init.httpStatus
    this.requestId = init.requestId
  }
}

/** True when `err` is an ApiError, optionally of the given code. */
export function isApiError(err: unknown, code?: ErrorCode): err is ApiError {
  return err instanceof ApiError && (code === undefined || err.code === code)
}

// Problem members carried over into `meta`: the ones a caller acts on (412 and 429).
const META_MEMBERS = ['currentRevision', 'retryAfter'] as const

function asCode(value: unknown, status: number): ErrorCode {
  if (typeof value === 'string' && (ERROR_CODES as readonly string[]).includes(value))
    return value as ErrorCode
  return status >= 500 ? 'INTERNAL' : 'BAD_REQUEST'
}

function asDetails(value: unknown): ErrorDetail[] {
  if (!Array.isArray(value)) return []
  const out: ErrorDetail[] = []
  for (const item of value as unknown[]) {
    if (typeof item !== 'object' || item === null) continue
    const d = item as Record<string, unknown>
    if (typeof d.message !== 'string') continue
    const detail: ErrorDetail = { message: d.message }
    if (typeof d.key === 'string') detail.key = d.key
    if (typeof d.line === 'number') detail.line = d.line
    if (typeof d.column === 'number') detail.column = d.column
    if (typeof d.field === 'string') detail.field = d.field
    out.push(detail)
  }
  return out
}

/**
 * The ApiError of a failed response. A body that is not a problem document (a proxy's HTML page)
 * gives a fixed message naming only the status: a body is never quoted.
 */
export function problemToError(
  status: number,
  body: string,
  requestIdHeader: string | undefined,
): ApiError {
  let problem: Record<string, unknown> | undefined
  try {
    const parsed: unknown = JSON.parse(body)
    if (typeof parsed === 'object' && parsed !== null) problem = parsed as Record<string, unknown>
  } catch {
    problem = undefined
  }
  const requestId =
    typeof problem?.requestId === 'string' ? problem.requestId : (requestIdHeader ?? undefined)
  if (problem === undefined || typeof problem.detail !== 'string') {
    return new ApiError(
      status === 502 || status === 503 || status === 504
        ? 'UNAVAILABLE'
        : asCode(undefined, status),
      `the server answered HTTP ${status} without a problem document`,
      { httpStatus: status, requestId },
    )
  }
  const meta: Record<string, unknown> = {}
  for (const name of META_MEMBERS) if (name in problem) meta[name] = problem[name]
  return new ApiError(asCode(problem.code, status), problem.detail, {
    httpStatus: status,
    requestId,
    errors: asDetails(problem.errors),
    meta,
  })
}
