import type { VerbSpec } from '../spec.ts'
import { RESOLVE_LOCAL_OPTION } from './deploy-integrations.ts'

const group = 'Releases and previews:'
const env = { group, target: 'env' as const }
const project = { group, target: 'project' as const }

/** run, deploy, releases, rollback, status, previews…, promote. */
export const RELEASE_VERBS: VerbSpec[] = [
  {
    ...env,
    name: 'run',
    summary: "run a command with the latest release's environment (secrets included)",
    args: ['<command...>'],
    json: false,
    options: [
      { flags: '--release <n>', description: 'run this release instead of the latest' },
      {
        flags: '--no-inherit',
        description: "start from an empty environment (PATH kept) instead of this shell's",
      },
      { flags: '--follow', description: 'restart the command on each new release' },
      { flags: '--grace <time>', description: 'wait after SIGTERM before SIGKILL (default 10s)' },
      { flags: '--mask', description: "replace secret values in the command's output with ***" },
      {
        flags: '--fallback <file>',
        description:
          'keep an encrypted copy (key: TRESOR_FALLBACK_KEY) and use it when the server is down',
      },
      RESOLVE_LOCAL_OPTION,
    ],
    examples: [
      'tresor run -p myapp -e production -- node server.js',
      'tresor run --follow --mask -e staging -- bin/rails server',
      'TRESOR_FALLBACK_KEY=$(cat /etc/myapp/cache.key) tresor run --fallback /var/lib/myapp/env.cache -- ./app',
    ],
    load: async () => (await import('../commands/run.ts')).run,
  },
  {
    ...env,
    name: 'deploy',
    summary: 'make a release of the environment as it is now; prints its number',
    options: [{ flags: '--message <text>', description: 'why (kept in the audit log)' }],
    examples: ['tresor deploy -p myapp -e production', 'N=$(tresor deploy -e staging -q)'],
    load: async () => (await import('../commands/deploy.ts')).deploy,
  },
  {
    ...env,
    name: 'releases',
    summary: 'list the releases of an environment, newest first',
    examples: ['tresor releases -e production', 'tresor releases --json'],
    load: async () => (await import('../commands/deploy.ts')).releases,
  },
  {
    ...env,
    name: 'rollback',
    summary: 'release again the document of release N (default: the one before the current)',
    args: ['[release]'],
    examples: ['tresor rollback -e production', 'tresor rollback 12 -e production'],
    load: async () => (await import('../commands/deploy.ts')).rollback,
  },
  {
    ...project,
    name: 'status',
    summary: 'which environments are in sync or drifted, and which required keys are missing',
    examples: ['tresor status -p myapp', 'tresor status --json'],
    load: async () => (await import('../commands/status.ts')).status,
  },
  {
    ...project,
    name: 'previews',
    summary: 'list preview environments',
    examples: ['tresor previews -p myapp'],
    load: async () => (await import('../commands/previews.ts')).previews,
  },
  {
    ...project,
    name: 'previews:create',
    summary: 'clone an environment as a preview, with overrides and PREVIEW_URL',
    args: ['<slug>', '[overrides...]'],
    options: [
      { flags: '--parent <env>', description: 'the environment to clone (required)' },
      { flags: '--preview-url <url>', description: 'PREVIEW_URL, and ${PREVIEW_URL} in overrides' },
      { flags: '--ttl <ttl>', description: 'delete it after this long (e.g. 7d)' },
    ],
    examples: [
      "tresor previews:create pr-42 --parent staging --preview-url https://pr-42.example.com --ttl 7d 'API_URL=${PREVIEW_URL}/api'",
    ],
    load: async () => (await import('../commands/previews.ts')).previewsCreate,
  },
  {
    ...project,
    name: 'previews:delete',
    summary: 'delete a preview environment',
    args: ['<slug>'],
    confirm: true,
    examples: ['tresor previews:delete pr-42 -p myapp --yes'],
    load: async () => (await import('../commands/previews.ts')).previewsDelete,
  },
  {
    ...project,
    name: 'promote',
    summary: 'copy variables from one environment to another (secrets only when asked)',
    args: ['<keys...>'],
    options: [
      { flags: '--from <env>', description: 'the environment to copy from' },
      { flags: '--to <env>', description: 'the environment to copy to' },
      {
        flags: '--include-secrets',
        description: 'copy secrets too (needs secrets:reveal; each is audited)',
      },
    ],
    examples: [
      'tresor promote FEATURE_X LOG_LEVEL --from staging --to production',
      'tresor promote STRIPE_WEBHOOK_SECRET --from staging --to qa --include-secrets',
    ],
    load: async () => (await import('../commands/promote.ts')).promote,
  },
]
