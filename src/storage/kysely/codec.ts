import { AppError } from '../../core/errors.ts'

// Conversions between port rows and portable SQL columns (see schema.ts).

/** 0/1 integer column → boolean. */
export function bool(n: number): boolean {
  return n === 1
}

/** boolean → 0/1 integer column. */
export function int(b: boolean): number {
  return b ? 1 : 0
}

/** JSON text column → value; the store wrote it, so its shape is trusted. */
export function json<T>(text: string): T {
  return JSON.parse(text) as T
}

/** A Buffer view of `bytes` without copying (both drivers bind Buffers). */
export function bytes(u8: Uint8Array): Buffer {
  return Buffer.isBuffer(u8) ? u8 : Buffer.from(u8.buffer, u8.byteOffset, u8.byteLength)
}

/** A page size between 1 and 1000, 100 by default. */
export function pageSize(limit: number | undefined): number {
  if (limit === undefined) return 100
  return Math.max(1, Math.min(1000, Math.floor(limit)))
}

/** NOT_FOUND naming the kind of row and its id (ids are not secrets). */
export function notFound(kind: string, id: string): AppError {
  return new AppError('NOT_FOUND', `${kind} ${id} not found`, [
    { field: 'id', message: 'not found' },
  ])
}

/** True when an UPDATE/DELETE touched at least one row. */
export function touched(result: { numUpdatedRows?: bigint; numDeletedRows?: bigint }): boolean {
  return (result.numUpdatedRows ?? result.numDeletedRows ?? 0n) > 0n
}

/**
 * A transaction's repo: its reads plus its writes. Object.assign, not an object spread: V8
 * builds a spread of method-holding objects on a slow path (~3 µs a repo), paid by every
 * transaction for each repo it touches.
 */
export function withWrites<R extends object, W extends object>(reads: R, writes: W): R & W {
  return Object.assign(reads, writes)
}
