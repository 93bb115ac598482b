import { AppError } from '../../../src/core/errors.ts'

/** The AppError `fn` throws; fails the test when it returns or throws something else. */
export function refusal(fn: () => unknown): AppError {
  try {
    fn()
  } catch (err) {
    if (err instanceof AppError) return err
    throw err
  }
  throw new Error('expected an AppError, got a result')
}
