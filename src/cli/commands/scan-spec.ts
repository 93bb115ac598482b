import type { VerbSpec } from '../spec.ts'

/** The `tresor scan` row of the command table; the verb itself is loaded only when run. */
export const SCAN_SPEC: VerbSpec = {
  name: 'scan',
  group: 'Deploy integrations:',
  summary: "find leaked credentials and the project's own secret values in files (exit 1 if any)",
  args: ['[paths...]'],
  target: 'project',
  options: [
    { flags: '--staged', description: 'scan the lines `git commit` would add (pre-commit)' },
    { flags: '--format <format>', description: 'text (default), json or sarif' },
    { flags: '--install-hook', description: 'install a git pre-commit hook running --staged' },
    { flags: '--force', description: 'with --install-hook: replace a hook that is not Tresor’s' },
    { flags: '--offline', description: 'skip the server: credential formats only' },
    { flags: '--no-gitignore', description: 'also scan files that .gitignore excludes' },
  ],
  examples: [
    'tresor scan',
    'tresor scan src config --format sarif > tresor.sarif',
    'tresor scan --install-hook',
  ],
  load: async () => (await import('./scan.ts')).scanCommand,
}
