import type { OptionSpec, VerbSpec } from '../spec.ts'

const group = 'Deploy integrations:'

/** `--resolve-local FILE`, for `export` and `run` (implemented by cli/local-sources.ts). */
export const RESOLVE_LOCAL_OPTION: OptionSpec = {
  flags: '--resolve-local <file>',
  description:
    'add the variables of a local dotenv file, resolving op:// (1Password CLI) and $(command) on this machine only',
}

/** export (a release's environment for a deploy tool) and kamal:init. */
export const DEPLOY_INTEGRATION_VERBS: VerbSpec[] = [
  {
    name: 'export',
    group,
    target: 'env',
    summary: "print a release's environment, secrets included, for a deploy tool (deploy scope)",
    json: false,
    options: [
      {
        flags: '--format <format>',
        // Spelled out rather than imported: the table loads at start-up, the exporters do not.
        description:
          'dotenv, shell, json, yaml, docker, systemd, k8s, kamal, kamal-json or github (default dotenv)',
      },
      { flags: '--release <n>', description: 'this release number (default: the latest)' },
      {
        flags: '--output <file>',
        description: 'write to FILE (mode 600, atomically) instead of stdout',
      },
      RESOLVE_LOCAL_OPTION,
      { flags: '--name <name>', description: 'k8s: the Secret name (default PROJECT-ENV)' },
      { flags: '--namespace <namespace>', description: 'k8s: the Secret namespace' },
    ],
    examples: [
      'tresor export --format systemd -e production --output /etc/myapp/myapp.env',
      'docker run --env-file <(tresor export --format docker -e production) myapp',
      'tresor export --format github -e production   # in a GitHub Actions step',
    ],
    load: async () => (await import('../commands/export.ts')).exportRelease,
  },
  {
    name: 'kamal:init',
    group,
    target: 'env',
    summary: 'write .kamal/secrets (fetches from Tresor at deploy) and print the deploy.yml env',
    options: [
      { flags: '--secrets-file <file>', description: 'where to write (default .kamal/secrets)' },
      { flags: '--force', description: 'replace the secrets file if it exists' },
    ],
    examples: [
      'tresor kamal:init -p myapp -e production',
      'tresor kamal:init -e production --secrets-file .kamal/secrets.production',
    ],
    load: async () => (await import('../commands/kamal-init.ts')).kamalInit,
  },
]
