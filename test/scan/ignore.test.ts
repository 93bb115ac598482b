// What gets scanned: gitignore-style patterns, per-directory .tresorignore and .gitignore,
// `.git` and `node_modules` skipped, binary files counted but not read, symlinks not followed.
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { createIgnoreTree, listFiles, scanFiles } from '../../src/cli/commands/scan-files.ts'
import { createScanner, matchIgnore, parseIgnore } from '../../src/core/scan/index.ts'
import { githubToken } from './helpers/credentials.ts'

describe('ignore patterns', () => {
  const cases: [string, string, boolean, boolean | undefined][] = [
    ['*.log', 'a.log', false, true],
    ['*.log', 'deep/dir/a.log', false, true],
    ['*.log', 'a.log.txt', false, undefined],
    ['/build', 'build', true, true],
    ['/build', 'src/build', true, undefined],
    ['build/', 'build', false, undefined],
    ['build/', 'x/build', true, true],
    ['docs/*.md', 'docs/a.md', false, true],
    ['docs/*.md', 'docs/sub/a.md', false, undefined],
    ['docs/**/*.md', 'docs/sub/deeper/a.md', false, true],
    ['docs/**/*.md', 'docs/a.md', false, true],
    ['**/fixtures', 'test/x/fixtures', true, true],
    ['vendor/**', 'vendor/a/b.js', false, true],
    ['fil?.txt', 'file.txt', false, true],
    ['fil?.txt', 'fil/.txt', false, undefined],
    ['[ab].js', 'b.js', false, true],
    ['[!ab].js', 'b.js', false, undefined],
    ['\\#hash', '#hash', false, true],
    ['a.b', 'aXb', false, undefined],
  ]
  it.each(cases)('%s on %s (dir: %s) → %s', (pattern, path, isDir, verdict) => {
    expect(matchIgnore(parseIgnore(pattern), path, isDir)).toBe(verdict)
  })

  it('skips comments and blanks, and the last matching rule wins (! re-includes)', () => {
    const rules = parseIgnore('# comment\n\n*.env\n!keep.env\n')
    expect(rules).toHaveLength(2)
    expect(matchIgnore(rules, 'prod.env', false)).toBe(true)
    expect(matchIgnore(rules, 'keep.env', false)).toBe(false)
  })
})

describe('listing and scanning a tree', () => {
  let dir: string
  const write = (path: string, text: string | Buffer) => {
    mkdirSync(dirname(join(dir, path)), { recursive: true })
    writeFileSync(join(dir, path), text)
  }
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'tresor-scan-tree-'))
  })
  afterEach(() => rmSync(dir, { recursive: true, force: true }))

  it('honours nested ignore files, skips .git and node_modules, and does not follow symlinks', () => {
    const leak = `token = "${githubToken()}"\n`
    for (const p of ['a.js', 'src/b.js', 'src/gen/c.js', 'logs/d.log', 'fixtures/e.txt'])
      write(p, leak)
    write('.git/config', leak)
    write('node_modules/x/index.js', leak)
    write('.tresorignore', 'fixtures/\n')
    write('.gitignore', '*.log\n')
    write('src/.tresorignore', 'gen/\n')
    symlinkSync(join(dir, 'a.js'), join(dir, 'link.js'))
    const files = listFiles(['.'], dir, createIgnoreTree(dir, true))
    expect(files.map((f) => f.display)).toEqual([
      '.gitignore',
      '.tresorignore',
      'a.js',
      'src/.tresorignore',
      'src/b.js',
    ])
    const withLogs = listFiles(['.'], dir, createIgnoreTree(dir, false)).map((f) => f.display)
    expect(withLogs).toContain('logs/d.log')
    const result = scanFiles(files, createScanner())
    expect(result.findings.map((f) => `${f.path}:${f.line}:${f.column}`)).toEqual([
      'a.js:1:10',
      'src/b.js:1:10',
    ])
  })

  it('skips binary files (a NUL in the first 8 KB) but counts them, and scans one whose NUL comes later', () => {
    const leak = githubToken()
    write('image.bin', Buffer.concat([Buffer.from([0x89, 0x50, 0x00, 0x01]), Buffer.from(leak)]))
    write(
      'late.txt',
      Buffer.concat([Buffer.alloc(9000, 0x61), Buffer.from([0]), Buffer.from(`\n${leak}`)]),
    )
    const result = scanFiles(listFiles(['.'], dir, createIgnoreTree(dir, true)), createScanner())
    expect({ files: result.files, binary: result.binary }).toEqual({ files: 2, binary: 1 })
    expect(result.findings.map((f) => [f.path, f.line])).toEqual([['late.txt', 2]])
  })

  it('names paths relative to the working directory, once each however often they are named', () => {
    write('sub/x.txt', githubToken())
    write('y.txt', githubToken())
    const files = listFiles(
      ['x.txt', join(dir, 'sub'), '../y.txt'],
      join(dir, 'sub'),
      createIgnoreTree(dir, true),
    )
    expect(files.map((f) => f.display)).toEqual(['x.txt', '../y.txt'])
  })

  it('refuses a path that does not exist', () => {
    expect(() => listFiles(['missing'], dir, createIgnoreTree(dir, true))).toThrow(
      'no such file or directory: missing',
    )
  })
})
