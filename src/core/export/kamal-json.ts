import { checkedEntries, type ExportInput } from './common.ts'

const RUBY_KEY = /^[A-Za-z0-9_.]+$/
// Ruby's Shellwords.escape leaves these alone and puts a backslash before any other character.
const SHELL_UNSAFE = /[^A-Za-z0-9_\-.,:+/@\n]/gu

/**
 * One line for `.kamal/secrets` to capture (`TRESOR_SECRETS=$(tresor export --format
 * kamal-json)`): a JSON object of the variables, shell-escaped exactly as `kamal secrets fetch`
 * prints its own, so that `$(kamal secrets extract KEY ${TRESOR_SECRETS})` finds each value.
 *
 * On its way to the app each value passes Kamal 2.12 / Ruby dotenv 3.2 twice: the captured line
 * and then every extracted value get dotenv's variable substitution, which turns `\$` into `$`
 * and `$NAME` into another variable. So every `$` not followed by `(` is written `\$` inside
 * the JSON; `$(` is never substituted after a command has run, and is left alone.
 */
export function exportKamalJson(env: ExportInput): string {
  const entries = checkedEntries('Kamal secrets JSON', env, kamalJsonProblem)
  const body = entries.map(
    ([key, value]) => `${JSON.stringify(key)}:${JSON.stringify(value.replace(/\$(?!\()/g, '\\$'))}`,
  )
  return `${rubyShellEscape(`{${body.join(',')}}`)}\n`
}

/** What Ruby's `Shellwords.escape` gives: `''` for the empty string, else backslash escapes. */
export function rubyShellEscape(text: string): string {
  if (text === '') return "''"
  return text.replace(SHELL_UNSAFE, '\\$&').replaceAll('\n', "'\n'")
}

function kamalJsonProblem(key: string, value: string): string | undefined {
  if (!RUBY_KEY.test(key))
    return 'a .kamal/secrets line cannot name it (Ruby dotenv keys allow letters, digits, _ and .)'
  // Kamal chomps what `kamal secrets extract` returns: one final line break would be lost.
  if (value.endsWith('\n') || value.endsWith('\r'))
    return 'the value ends with a line break, which Kamal removes from every extracted secret'
  return undefined
}
