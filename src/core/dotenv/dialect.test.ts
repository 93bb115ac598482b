import dotenv from 'dotenv'
import { describe, expect, it } from 'vitest'
import { AppError } from '../errors.ts'
import { DIFFERENCES } from './dialect-differences.testkit.ts'
import { parseDocument } from './parse.ts'
import { entriesOf } from './project.ts'

describe('deliberate differences from npm dotenv (docs/dotenv-dialect.md)', () => {
  it.each(
    DIFFERENCES.map((d) => [d.rule, d.caseNo ?? '-', JSON.stringify(d.input).slice(0, 40), d]),
  )('%s (case %s) %s', (_rule, _caseNo, _shown, d) => {
    expect(dotenv.parse(d.input)).toEqual(d.dotenv)
    if ('entries' in d.ours) {
      expect([...entriesOf(parseDocument(d.input))]).toEqual(d.ours.entries)
      return
    }
    let caught: unknown
    try {
      parseDocument(d.input)
    } catch (err) {
      caught = err
    }
    expect(caught).toBeInstanceOf(AppError)
    if (!(caught instanceof AppError)) return
    expect(caught.code).toBe('PARSE_ERROR')
    expect(caught.errors).toEqual(d.ours.errors)
  })

  it('every documented rule has an example here and a section in the dialect doc', async () => {
    const { readFile } = await import('node:fs/promises')
    const doc = await readFile(new URL('../../../docs/dotenv-dialect.md', import.meta.url), 'utf8')
    for (const rule of new Set(DIFFERENCES.map((d) => d.rule))) expect(doc).toContain(`\`${rule}\``)
  })
})
