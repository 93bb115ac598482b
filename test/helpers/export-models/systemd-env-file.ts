// A model of systemd 252 `parse_env_file_internal` (src/basic/env-file.c) as `EnvironmentFile=`
// uses it (research §1.8), for tests only; the machine's own parser is used as well where present.

const WHITESPACE = ' \t\n\r'
const NEWLINE = '\n\r'
const COMMENTS = '#;'
const NEED_ESCAPE = '"\\`$'
const VALID_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/
const NONCHARACTER =
  /[\u{FDD0}-\u{FDEF}]|[\u{FFFE}\u{FFFF}\u{1FFFE}\u{1FFFF}\u{2FFFE}\u{2FFFF}\u{3FFFE}\u{3FFFF}\u{4FFFE}\u{4FFFF}\u{5FFFE}\u{5FFFF}\u{6FFFE}\u{6FFFF}\u{7FFFE}\u{7FFFF}\u{8FFFE}\u{8FFFF}\u{9FFFE}\u{9FFFF}\u{AFFFE}\u{AFFFF}\u{BFFFE}\u{BFFFF}\u{CFFFE}\u{CFFFF}\u{DFFFE}\u{DFFFF}\u{EFFFE}\u{EFFFF}\u{FFFFE}\u{FFFFF}\u{10FFFE}\u{10FFFF}]/u

type State =
  | 'preKey'
  | 'key'
  | 'preValue'
  | 'value'
  | 'valueEsc'
  | 'sq'
  | 'dq'
  | 'dqEsc'
  | 'comment'
  | 'commentEsc'

/** The variables a unit gets from `text`: later duplicates win, invalid names are dropped. */
export function parseSystemdEnvFile(text: string): Map<string, string> {
  const out = new Map<string, string>()
  let state: State = 'preKey'
  let key = ''
  let value = ''
  let keyWs = -1 // start of the key's trailing whitespace, or -1
  let valueWs = -1 // same for an unquoted value
  const push = (): void => {
    const k = keyWs >= 0 ? key.slice(0, keyWs) : key
    const v = valueWs >= 0 ? value.slice(0, valueWs) : value
    // utf8_is_valid() also refuses noncharacters (U+FDD0–U+FDEF, U+xxFFFE, U+xxFFFF).
    if (VALID_NAME.test(k) && !NONCHARACTER.test(v)) {
      out.delete(k)
      out.set(k, v)
    }
    key = ''
    value = ''
    keyWs = -1
    valueWs = -1
  }
  for (const c of text) {
    switch (state) {
      case 'preKey':
        if (COMMENTS.includes(c)) state = 'comment'
        else if (!WHITESPACE.includes(c)) {
          state = 'key'
          key = c
          keyWs = -1
        }
        break
      case 'key':
        if (NEWLINE.includes(c)) {
          state = 'preKey'
          key = ''
        } else if (c === '=') {
          state = 'preValue'
          valueWs = -1
        } else {
          if (!WHITESPACE.includes(c)) keyWs = -1
          else if (keyWs < 0) keyWs = key.length
          key += c
        }
        break
      case 'preValue':
        if (NEWLINE.includes(c)) {
          state = 'preKey'
          valueWs = -1
          push()
        } else if (c === "'") state = 'sq'
        else if (c === '"') state = 'dq'
        else if (c === '\\') state = 'valueEsc'
        else if (!WHITESPACE.includes(c)) {
          state = 'value'
          value += c
        }
        break
      case 'value':
        if (NEWLINE.includes(c)) {
          state = 'preKey'
          push()
        } else if (c === '\\') {
          state = 'valueEsc'
          valueWs = -1
        } else {
          if (!WHITESPACE.includes(c)) valueWs = -1
          else if (valueWs < 0) valueWs = value.length
          value += c
        }
        break
      case 'valueEsc':
        state = 'value'
        if (!NEWLINE.includes(c)) value += c
        break
      case 'sq':
        if (c === "'") state = 'preValue'
        else value += c
        break
      case 'dq':
        if (c === '"') state = 'preValue'
        else if (c === '\\') state = 'dqEsc'
        else value += c
        break
      case 'dqEsc':
        state = 'dq'
        if (NEED_ESCAPE.includes(c)) value += c
        else if (c !== '\n') value += '\\' + c
        break
      case 'comment':
        if (c === '\\') state = 'commentEsc'
        else if (NEWLINE.includes(c)) state = 'preKey'
        break
      case 'commentEsc':
        // 252 swallows whatever follows, a newline included (systemd#27975, fixed in 254).
        state = 'comment'
        break
    }
  }
  if (!['preKey', 'key', 'comment', 'commentEsc'].includes(state)) push()
  return out
}
