import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { isAbsolute, join } from 'node:path'
import { UsageError } from '../errors.ts'
import { git } from './scan-staged.ts'

/** The line that marks a hook as Tresor's own, so reinstalling may replace it. */
export const HOOK_MARKER = '# tresor: pre-commit leak scan'

/** The pre-commit hook: scans what is staged and fails the commit when something leaks. */
export const HOOK_SCRIPT = `#!/bin/sh
${HOOK_MARKER} (installed by \`tresor scan --install-hook\`)
# A leak blocks the commit. For a false positive, add \`tresor:allow\` to the line or the path
# to .tresorignore; \`git commit --no-verify\` skips this check once.
if ! command -v tresor >/dev/null 2>&1; then
  echo "pre-commit: tresor is not on PATH, so staged changes cannot be scanned for leaks" >&2
  exit 1
fi
exec tresor scan --staged
`

/** What installing did: the hook's path and whether a hook of Tresor's was already there. */
export interface HookInstalled {
  path: string
  replaced: 'none' | 'tresor' | 'foreign'
}

/**
 * Writes the pre-commit hook of the repository around `cwd` (honouring `core.hooksPath`). A hook
 * that is not Tresor's is left alone unless `force` is set.
 */
export function installHook(cwd: string, force: boolean): HookInstalled {
  const dir = git(cwd, ['rev-parse', '--git-path', 'hooks']).toString('utf8').trim()
  const hooks = isAbsolute(dir) ? dir : join(cwd, dir)
  const path = join(hooks, 'pre-commit')
  let replaced: HookInstalled['replaced'] = 'none'
  if (existsSync(path)) {
    replaced = readFileSync(path, 'utf8').includes(HOOK_MARKER) ? 'tresor' : 'foreign'
    if (replaced === 'foreign' && !force) {
      throw new UsageError(
        `${path} already exists and is not Tresor's; add \`tresor scan --staged\` to it, or pass --force to replace it`,
      )
    }
  }
  mkdirSync(hooks, { recursive: true })
  writeFileSync(path, HOOK_SCRIPT, { mode: 0o755 })
  chmodSync(path, 0o755)
  return { path, replaced }
}
