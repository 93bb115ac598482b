// scanFiles reads every file into one reused buffer: each file's bytes must be exactly its own,
// whatever its listed size (files grow or shrink between listing and reading).
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, expect, it } from 'vitest'
import { readInto, scanFiles } from '../../src/cli/commands/scan-files.ts'
import { createScanner } from '../../src/core/scan/index.ts'
import { githubToken } from './helpers/credentials.ts'

let dir: string
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'tresor-scan-read-'))
})
afterAll(() => rmSync(dir, { recursive: true, force: true }))

it('reads a file whole into the shared buffer, growing it past a stale listed size', () => {
  const big = Buffer.alloc(200_000, 'a')
  big.write('end', big.length - 3)
  writeFileSync(join(dir, 'big.txt'), big)
  writeFileSync(join(dir, 'small.txt'), 'tiny')
  writeFileSync(join(dir, 'empty.txt'), '')
  const into = { buf: Buffer.allocUnsafe(16) }
  expect(readInto(into, join(dir, 'big.txt'), 10).equals(big)).toBe(true)
  expect(into.buf.length).toBeGreaterThanOrEqual(200_000)
  expect(readInto(into, join(dir, 'small.txt'), 4).toString()).toBe('tiny')
  expect(readInto(into, join(dir, 'empty.txt'), 0).length).toBe(0)
  expect(() => readInto(into, join(dir, 'missing.txt'), 0)).toThrow(/ENOENT/)
})

it('finds in each file only its own leaks when a long file is followed by a short one', () => {
  const token = githubToken()
  writeFileSync(join(dir, 'a.ts'), `const x = 1\n${'// filler line\n'.repeat(500)}t = "${token}"\n`)
  writeFileSync(join(dir, 'b.ts'), 'const y = 2\n')
  const files = ['a.ts', 'b.ts', 'gone.ts'].map((name) => ({
    abs: join(dir, name),
    display: name,
    size: 1,
  }))
  const r = scanFiles(files, createScanner())
  expect(r.files).toBe(2)
  expect(r.unreadable).toEqual(['gone.ts'])
  expect(r.bytes).toBe(12 + 15 * 500 + 5 + token.length + 2 + 12)
  expect(r.findings.map((f) => [f.path, f.line, f.column, f.rule])).toEqual([
    ['a.ts', 502, 6, 'github-token'],
  ])
})
