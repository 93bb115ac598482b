// `tresor scan --staged`: only the lines a commit would add, at their line in the staged file;
// and `--install-hook`, whose hook really blocks `git commit` when a staged line leaks.
import { execFileSync, spawnSync } from 'node:child_process'
import {
  chmodSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { HOOK_MARKER } from '../../src/cli/commands/scan-hook.ts'
import { parseDiff } from '../../src/cli/commands/scan-staged.ts'
import { githubToken } from './helpers/credentials.ts'
import { runScan } from './helpers/run-scan.ts'

const ROOT = join(import.meta.dirname, '..', '..')
const GIT_ENV = {
  ...process.env,
  GIT_CONFIG_NOSYSTEM: '1',
  GIT_CONFIG_GLOBAL: '/dev/null',
  GIT_AUTHOR_NAME: 't',
  GIT_AUTHOR_EMAIL: 't@example.com',
  GIT_COMMITTER_NAME: 't',
  GIT_COMMITTER_EMAIL: 't@example.com',
}

let repo: string
const git = (...args: string[]) => execFileSync('git', args, { cwd: repo, env: GIT_ENV }).toString()
const write = (path: string, text: string) => {
  mkdirSync(join(repo, path, '..'), { recursive: true })
  writeFileSync(join(repo, path), text)
}
const scan = (flags: Parameters<typeof runScan>[1], cwd = repo) =>
  runScan([], { offline: true, ...flags }, { cwd, env: {} })

beforeEach(() => {
  repo = mkdtempSync(join(tmpdir(), 'tresor-staged-'))
  git('init', '-q', '-b', 'main')
  write('app.js', 'line 1\nline 2\nline 3\nline 4\n')
  write('old.js', `const old = '${githubToken()}' // already committed\n`)
  git('add', '-A')
  git('commit', '-q', '-m', 'base')
})
afterEach(() => rmSync(repo, { recursive: true, force: true }))

describe('--staged', () => {
  it('reports only staged added lines, at their line numbers in the staged files', async () => {
    const a = githubToken()
    const b = githubToken('gho_')
    write('app.js', `line 1\nconst t = '${a}'\nline 2\nline 3\nline 4\n// ${b}\n`)
    write('sub dir/new file.txt', `+++ b/fake header\nkey: ${b}\n`)
    git('add', '-A')
    write('app.js', `${githubToken()} unstaged\n`)
    const run = await scan({ staged: true })
    expect(run.stdout).toBe(
      'app.js:2:12  github-token  GitHub token: ghp_… (40 chars)\n' +
        'app.js:6:4  github-token  GitHub token: gho_… (40 chars)\n' +
        'sub dir/new file.txt:2:6  github-token  GitHub token: gho_… (40 chars)\n',
    )
    expect(run.code).toBe(1)
  })

  it('names paths relative to a subdirectory it runs in, honours .tresorignore, and passes a clean stage', async () => {
    write('pkg/src/a.js', `x = '${githubToken()}'\n`)
    write('pkg/fixtures/b.js', `x = '${githubToken()}'\n`)
    write('.tresorignore', 'fixtures/\n')
    git('add', '-A')
    const run = await scan({ staged: true }, join(repo, 'pkg'))
    expect(run.stdout).toBe('src/a.js:1:6  github-token  GitHub token: ghp_… (40 chars)\n')
    git('rm', '-q', '--cached', 'pkg/src/a.js')
    expect((await scan({ staged: true })).code).toBe(0)
  })

  it('parses hunk counts, so added lines that look like headers stay content', () => {
    const diff = [
      'diff --git a/x b/x',
      '--- a/x',
      '+++ b/x',
      '@@ -3,2 +3,3 @@ ctx',
      '-old a',
      '-old b',
      '++++ b/not-a-file',
      '+diff --git a/y b/y',
      '+@@ -1 +1 @@',
      '\\ No newline at end of file',
      'diff --git "a/t\\tab" "b/t\\tab"',
      '+++ "b/t\\tab"',
      '@@ -0,0 +1 @@',
      '+one',
    ].join('\n')
    expect(parseDiff(diff)).toEqual([
      { path: 'x', text: '+++ b/not-a-file\ndiff --git a/y b/y\n@@ -1 +1 @@', lines: [3, 4, 5] },
      { path: 't\tab', text: 'one', lines: [1] },
    ])
  })
})

describe('--install-hook', () => {
  const hookPath = () => join(repo, '.git', 'hooks', 'pre-commit')

  it('writes an executable hook, reinstalls its own, and leaves a foreign hook alone without --force', async () => {
    const first = await scan({ installHook: true })
    expect(first.code).toBe(0)
    expect(first.stderr).toBe(`installed: ${hookPath()} runs \`tresor scan --staged\`\n`)
    expect(readFileSync(hookPath(), 'utf8')).toContain(`${HOOK_MARKER}`)
    expect(statSync(hookPath()).mode & 0o777).toBe(0o755)
    expect((await scan({ installHook: true })).code).toBe(0)
    writeFileSync(hookPath(), '#!/bin/sh\nnpm test\n')
    const refused = await scan({ installHook: true })
    expect(refused.code).toBe(2)
    expect(refused.stderr).toContain('already exists and is not Tresor')
    expect(readFileSync(hookPath(), 'utf8')).toBe('#!/bin/sh\nnpm test\n')
    const forced = await scan({ installHook: true, force: true })
    expect(forced.stderr).toContain('replaced the existing hook')
    expect(readFileSync(hookPath(), 'utf8')).toContain(HOOK_MARKER)
  })

  it('blocks a commit whose staged lines leak, and lets a clean one through', async () => {
    await scan({ installHook: true })
    const bin = join(repo, '.bin')
    mkdirSync(bin)
    const loader = join(ROOT, 'node_modules', 'tsx', 'dist', 'loader.mjs')
    const runner = join(ROOT, 'test', 'scan', 'helpers', 'run-scan.ts')
    writeFileSync(
      join(bin, 'tresor'),
      `#!/bin/sh\nexec node --import ${loader} ${runner} "$@" --offline\n`,
    )
    chmodSync(join(bin, 'tresor'), 0o755)
    const env = { ...GIT_ENV, PATH: `${bin}:${process.env.PATH ?? ''}` }
    const commit = () => spawnSync('git', ['commit', '-q', '-m', 'change'], { cwd: repo, env })
    write('leak.js', `const k = '${githubToken()}'\n`)
    git('add', 'leak.js')
    const blocked = commit()
    expect(blocked.status).toBe(1)
    // git sends a hook's stdout to its own stderr
    expect(blocked.stderr.toString()).toContain(
      'leak.js:1:12  github-token  GitHub token: ghp_… (40 chars)\n',
    )
    expect(blocked.stderr.toString()).toContain('1 leak found in 1 file')
    expect(git('log', '--format=%s')).toBe('base\n')
    write('leak.js', 'const k = process.env.K\n')
    git('add', 'leak.js')
    expect(commit().status).toBe(0)
    expect(git('log', '--format=%s')).toBe('change\nbase\n')
  })
})
