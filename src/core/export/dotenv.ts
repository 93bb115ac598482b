import { isAppError } from '../errors.ts'
import { formatDotenvValue } from '../dotenv/value.ts'
import { checkedEntries, joinLines, type ExportInput } from './common.ts'

// npm dotenv's LINE regex takes `[\w.-]+` keys (ASCII) and silently skips any other line.
const DOTENV_KEY = /^[A-Za-z0-9_.-]+$/

/**
 * `KEY=value` lines that npm `dotenv.parse` (and dotenvx) read back exactly: each value bare
 * when safe, else in the quotes the dotenv engine picks (formatDotenvValue).
 */
export function exportDotenv(env: ExportInput): string {
  const written = new Map<string, string>()
  const entries = checkedEntries('dotenv', env, (key, value) => {
    if (!DOTENV_KEY.test(key)) return 'dotenv keys allow only letters, digits, _, . and -'
    try {
      written.set(key, formatDotenvValue(value, key))
      return undefined
    } catch (err) {
      if (!isAppError(err, 'UNREPRESENTABLE_VALUE')) throw err
      return err.errors[0]?.message ?? 'no dotenv quoting carries the value'
    }
  })
  return joinLines(entries.map(([key]) => `${key}=${written.get(key) ?? ''}`))
}
