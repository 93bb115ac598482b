import dotenv from 'dotenv'
import { describe, expect, it } from 'vitest'
import { AppError } from '../errors.ts'
import { parseDocument } from './parse.ts'
import { replaceDocument } from './replace.ts'
import { serializeDocument } from './serialize.ts'

describe('replaceDocument', () => {
  it('writes exactly the given entries, in order, one line each with a final newline', () => {
    const doc = replaceDocument([
      ['Z', 'last letter'],
      ['A', ''],
      ['URL', 'https://x/#f'],
      ['PEM', 'l1\nl2'],
    ])
    const text = serializeDocument(doc)
    expect(text).toBe("Z=last letter\nA=\nURL='https://x/#f'\nPEM='l1\nl2'\n")
    expect(doc.nodes).toEqual(parseDocument(text).nodes)
    expect(Object.entries(dotenv.parse(text))).toEqual([
      ['Z', 'last letter'],
      ['A', ''],
      ['URL', 'https://x/#f'],
      ['PEM', 'l1\nl2'],
    ])
  })

  it('accepts records, Maps and null-prototype records with __proto__', () => {
    const record = Object.assign(Object.create(null) as Record<string, string>, {
      ['__proto__']: 'p',
    })
    expect(serializeDocument(replaceDocument(record))).toBe('__proto__=p\n')
    expect(serializeDocument(replaceDocument(new Map([['B', '2']])))).toBe('B=2\n')
    expect(serializeDocument(replaceDocument({}))).toBe('')
  })

  it('refuses bad keys, duplicates and NUL values, naming each key', () => {
    let caught: unknown
    try {
      replaceDocument([
        ['ok', 'x'],
        ['9x', 'y'],
        ['ok', 'z'],
        ['N', '\0'],
      ])
    } catch (err) {
      caught = err
    }
    expect(caught).toBeInstanceOf(AppError)
    if (!(caught instanceof AppError)) return
    expect(caught.code).toBe('VALIDATION_FAILED')
    expect(caught.errors).toEqual([
      { key: '9x', message: 'key must start with a letter or underscore' },
      { key: 'ok', message: 'key is set more than once' },
      { key: 'N', message: 'value contains a NUL character' },
    ])
  })
})
