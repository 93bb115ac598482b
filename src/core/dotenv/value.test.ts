import dotenv from 'dotenv'
import { describe, expect, it } from 'vitest'
import { isAppError } from '../errors.ts'
import { entriesOf } from './project.ts'
import { parseDocument } from './parse.ts'
import { formatDotenvValue, writeValue } from './value.ts'

/** Reads `K=<written>` back with the oracle and with our parser; both must give `value`. */
function readBack(written: string): { dotenv: string | undefined; ours: string | undefined } {
  const text = `K=${written}\nNEXT=1\n`
  return { dotenv: dotenv.parse(text).K, ours: entriesOf(parseDocument(text)).get('K') }
}

describe('formatDotenvValue', () => {
  it.each([
    ['', ''],
    ['plain', 'plain'],
    ['hello world', 'hello world'],
    ['a=b=c', 'a=b=c'],
    ['${{project.KEY}}', '${{project.KEY}}'],
    ['$HOME and $(cmd)', '$HOME and $(cmd)'],
    ['C:\\Users\\x', 'C:\\Users\\x'],
    ['a\\nb', 'a\\nb'],
    ['tab\tinside', 'tab\tinside'],
    ['quote"in\'side`', 'quote"in\'side`'],
    ['https://x.io/#frag', "'https://x.io/#frag'"],
    [' leading', "' leading'"],
    ['trailing\t', "'trailing\t'"],
    ['\u00a0nbsp', "'\u00a0nbsp'"],
    ['"starts with quote', "'\"starts with quote'"],
    ["it's #1", '"it\'s #1"'],
    ['line1\nline2', "'line1\nline2'"],
    ["it's\nmulti", '"it\'s\nmulti"'],
    ['cr\rhere', '"cr\\rhere"'],
    ['crlf\r\nhere', '"crlf\\r\nhere"'],
    ['\'"# both', '`\'"# both`'],
    ["esc\\' ok #", "'esc\\' ok #'"],
    ['\u2028sep', "'\u2028sep'"],
    ["x\u2028'y'", '"x\u2028\'y\'"'],
  ])('%j is written %j and reads back exactly', (value, written) => {
    expect(formatDotenvValue(value)).toBe(written)
    expect(readBack(written)).toEqual({ dotenv: value, ours: value })
  })

  it.each([
    ['\'"`\n', 'every quote character unescaped'],
    ['a #\\', 'ends with a backslash'],
    ['\r"', 'unescaped double quote'],
    ['\r\\n', 'literal backslash-n'],
    ['nul\0', 'NUL character'],
  ])('refuses %j: %s', (value, reason) => {
    let caught: unknown
    try {
      formatDotenvValue(value, 'API_KEY')
    } catch (err) {
      caught = err
    }
    expect(isAppError(caught, 'UNREPRESENTABLE_VALUE')).toBe(true)
    if (!isAppError(caught)) return
    expect(caught.message).toContain('API_KEY')
    expect(caught.message).toContain(reason)
    expect(caught.errors).toHaveLength(1)
    expect(caught.errors[0]?.key).toBe('API_KEY')
    expect(caught.errors[0]?.message).toContain(reason)
  })

  it('never puts the value in the error', () => {
    const secret = 's3cr3t-\'"`-\n-value'
    expect(() => formatDotenvValue(secret)).toThrow(/cannot be written/)
    try {
      formatDotenvValue(secret)
    } catch (err) {
      expect(JSON.stringify(err) + String(err)).not.toContain('s3cr3t')
    }
  })
})

describe('writeValue', () => {
  it('keeps a preferred quote style when it can carry the value', () => {
    expect(writeValue('abc', 'double')).toBe('"abc"')
    expect(writeValue('abc', 'backtick')).toBe('`abc`')
    expect(writeValue('a b', 'none')).toBe('a b')
  })
  it('falls back to the least surprising style when the preferred one cannot', () => {
    expect(writeValue('say "hi"', 'double')).toBe('\'say "hi"\'')
    expect(writeValue('a\'b"c`d', 'single')).toBe('a\'b"c`d')
    expect(writeValue(' say "hi"', 'double')).toBe('\' say "hi"\'')
    expect(writeValue('a\\nb', 'double')).toBe("'a\\nb'")
    expect(writeValue(' a\\nb', 'double')).toBe("' a\\nb'")
  })
})
