import { checkedEntries, joinLines, SHELL_NAME, type ExportInput } from './common.ts'

// Written bare only when every character is in this plain set; anything else gets quotes.
// systemd's own write_env_var quotes a little less often, but quoting is never wrong.
const BARE_SAFE = /^[A-Za-z0-9_@%+=:,./-]+$/
const NEEDS_ESCAPE = /["\\`$]/g

/**
 * `KEY=value` lines for a unit's `EnvironmentFile=` (systemd `parse_env_file_internal`). Keys
 * must be `[A-Za-z_][A-Za-z0-9_]*`: systemd drops other names. Values are bare when plain, else
 * `"…"` with a backslash before `"`, `\`, `` ` `` and `$` (the only escapes double quotes honour);
 * newlines and CRs stay raw inside the quotes, and the quotes keep leading and trailing
 * whitespace and stop a trailing backslash from joining the next line. systemd does not expand
 * `$` in `EnvironmentFile=`; the escape keeps `environment.d`, which does, literal too.
 */
export function exportSystemd(env: ExportInput): string {
  const entries = checkedEntries('systemd EnvironmentFile', env, (key, value) => {
    if (!SHELL_NAME.test(key))
      return 'systemd variable names allow only letters, digits and _, and cannot start with a digit'
    // Measured on systemd 252: utf8_is_valid() rejects these, and the variable is dropped.
    if (hasNoncharacter(value)) return 'systemd drops values holding a Unicode noncharacter'
    return undefined
  })
  return joinLines(entries.map(([key, value]) => `${key}=${systemdValue(value)}`))
}

/** The written form of one value: bare when plain (or empty), else double-quoted. */
export function systemdValue(value: string): string {
  if (value === '' || BARE_SAFE.test(value)) return value
  return `"${value.replace(NEEDS_ESCAPE, '\\$&')}"`
}

/** True when `text` holds U+FDD0–U+FDEF or a U+xxFFFE/U+xxFFFF code point. */
export function hasNoncharacter(text: string): boolean {
  for (const ch of text) {
    const cp = ch.codePointAt(0) as number
    if ((cp >= 0xfdd0 && cp <= 0xfdef) || (cp & 0xfffe) === 0xfffe) return true
  }
  return false
}
