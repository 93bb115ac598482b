import { checkedEntries, joinLines, type ExportInput } from './common.ts'

const RUBY_KEY = /^[A-Za-z0-9_.]+$/
// Ruby dotenv reads this key to change how it parses the rest of the file.
const LINEBREAK_MODE = 'DOTENV_LINEBREAK_MODE'

/**
 * Lines for Kamal 2's `.kamal/secrets`, read by Ruby dotenv 3.2 (research §1.4, §5). Values
 * without `'` are single-quoted: fully literal, no `$`/`$(…)` substitution, raw newlines kept.
 * The rest are double-quoted with `\`, `"` and `$` escaped (`\$` also stops `$VAR` and `$(…)`)
 * and newlines raw; `\n` escapes are never used because their meaning depends on
 * DOTENV_LINEBREAK_MODE (this output assumes the default mode, as Kamal 2 runs it).
 */
export function exportKamal(env: ExportInput): string {
  const entries = checkedEntries('Kamal secrets', env, kamalProblem)
  return joinLines(entries.map(([key, value]) => `${key}=${kamalValue(value)}`))
}

/** The written form of one value (assumes kamalProblem found nothing). */
export function kamalValue(value: string): string {
  if (!value.includes("'")) return `'${value}'`
  return `"${value.replace(/[\\"$]/g, '\\$&')}"`
}

function kamalProblem(key: string, value: string): string | undefined {
  if (!RUBY_KEY.test(key)) return 'Ruby dotenv keys allow only letters, digits, _ and . (no -)'
  if (key === LINEBREAK_MODE) return 'Ruby dotenv would read it as a setting for the file itself'
  if (value.includes('\r')) return 'Ruby dotenv turns every carriage return into a newline'
  // A final backslash next to the closing quote reads as an escaped quote, and dotenv's regex
  // may then run on into the following lines.
  if (value.endsWith('\\')) return 'the value ends with a backslash, which would escape the quote'
  // In double quotes `\$(` is only unescaped as part of a balanced `$(…)`; elsewhere the
  // backslash stays. Single quotes cannot hold `'`, so no quoting carries both.
  if (value.includes("'") && value.includes('$('))
    return "the value contains both ' and $(, which no Ruby dotenv quoting carries exactly"
  return undefined
}
