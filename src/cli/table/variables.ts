import type { VerbSpec } from '../spec.ts'

const group = 'Variables:'
const common = { group, target: 'env' as const }

/** config…, secrets…, vars, history and diff. */
export const VARIABLE_VERBS: VerbSpec[] = [
  {
    ...common,
    name: 'config',
    summary: 'list variables: config values shown, secrets masked',
    examples: ['tresor config -p myapp -e staging', 'tresor config --json'],
    load: async () => (await import('../commands/config.ts')).config,
  },
  {
    ...common,
    name: 'config:set',
    summary: 'set config variables (merge; --replace to set exactly these)',
    args: ['<pairs...>'],
    confirm: true,
    options: [{ flags: '--replace', description: 'replace the whole environment (asks first)' }],
    examples: ['tresor config:set LOG_LEVEL=debug WORKERS=4 -e staging'],
    load: async () => (await import('../commands/config.ts')).configSet,
  },
  {
    ...common,
    name: 'config:get',
    summary: "print one config variable's value",
    args: ['<key>'],
    examples: ['tresor config:get LOG_LEVEL -e staging'],
    load: async () => (await import('../commands/config.ts')).configGet,
  },
  {
    ...common,
    name: 'config:unset',
    summary: 'delete variables; reports which were removed and which did not exist',
    args: ['<keys...>'],
    examples: ['tresor config:unset OLD_FLAG LEGACY_URL -e staging'],
    load: async () => (await import('../commands/config.ts')).configUnset,
  },
  {
    ...common,
    name: 'config:export',
    summary: 'write the config variables (never secrets) in a file format, on stdout',
    json: false,
    options: [
      {
        flags: '--format <format>',
        description: 'dotenv, shell, json, yaml, docker, systemd, k8s or kamal (default dotenv)',
      },
      { flags: '--name <name>', description: 'k8s: the Secret name (default PROJECT-ENV)' },
      { flags: '--namespace <namespace>', description: 'k8s: the Secret namespace' },
    ],
    examples: [
      'tresor config:export -e staging > .env',
      'tresor config:export --format docker -e production > app.env',
    ],
    load: async () => (await import('../commands/config-export.ts')).configExport,
  },
  {
    ...common,
    name: 'config:import',
    summary: 'set variables from a dotenv file or stdin (-), showing the masked diff first',
    args: ['<file>'],
    confirm: true,
    options: [{ flags: '--replace', description: 'make the environment exactly the file' }],
    examples: [
      'tresor config:import .env -e development',
      'tresor config:export -e staging | tresor config:import - -e qa --yes',
    ],
    load: async () => (await import('../commands/config-import.ts')).configImport,
  },
  {
    ...common,
    name: 'secrets',
    summary: 'list secrets: names and masked previews only',
    examples: ['tresor secrets -e production'],
    load: async () => (await import('../commands/secrets.ts')).secrets,
  },
  {
    ...common,
    name: 'secrets:set',
    summary: 'set a secret; the value comes from stdin or a hidden prompt',
    args: ['<key>'],
    tooManyHint:
      '(the value is read from stdin or a hidden prompt; --value VALUE takes it from argv)',
    options: [
      {
        flags: '--value <value>',
        description: 'take the value from the command line (visible to ps and shell history)',
      },
    ],
    examples: [
      'tresor secrets:set STRIPE_KEY -e production',
      'tresor secrets:set TLS_KEY -e production < key.pem',
    ],
    load: async () => (await import('../commands/secrets.ts')).secretsSet,
  },
  {
    ...common,
    name: 'secrets:get',
    summary: "print a secret's value (needs secrets:reveal; audited)",
    args: ['<key>'],
    examples: ['tresor secrets:get STRIPE_KEY -e production | pbcopy'],
    load: async () => (await import('../commands/secrets.ts')).secretsGet,
  },
  {
    ...common,
    name: 'secrets:unset',
    summary: 'delete secrets; reports which were removed and which did not exist',
    args: ['<keys...>'],
    examples: ['tresor secrets:unset OLD_API_KEY -e production'],
    load: async () => (await import('../commands/secrets.ts')).secretsUnset,
  },
  {
    ...common,
    name: 'secrets:rotate',
    summary: 'give a secret a new value; the old one stays in the previous revision',
    args: ['<key>'],
    tooManyHint: '(the new value is read from stdin or a hidden prompt, or made with --generate)',
    options: [
      { flags: '--generate', description: 'generate a random value instead of reading one' },
      { flags: '--length <n>', description: 'length of a generated value (default 32)' },
    ],
    examples: [
      'tresor secrets:rotate SESSION_SECRET --generate -e production',
      'vault read -field=key x | tresor secrets:rotate API_KEY -e production',
    ],
    load: async () => (await import('../commands/secrets-rotate.ts')).secretsRotate,
  },
  {
    ...common,
    name: 'vars',
    summary: 'list everything the app gets: config, secrets (masked), system variables',
    examples: ['tresor vars -e production'],
    load: async () => (await import('../commands/secrets.ts')).vars,
  },
  {
    ...common,
    name: 'history',
    summary: 'list the revisions of an environment: who changed which keys, when',
    options: [{ flags: '--limit <n>', description: 'how many revisions (default 20)' }],
    examples: ['tresor history -e production --limit 5'],
    load: async () => (await import('../commands/history.ts')).history,
  },
  {
    ...common,
    name: 'diff',
    summary: 'compare two environments, or two revisions or releases of one (masked)',
    args: ['<a>', '<b>'],
    options: [{ flags: '--exit-code', description: 'exit 1 when they differ (for CI)' }],
    examples: [
      'tresor diff staging production -p myapp',
      'tresor diff 3 5 -e production',
      'tresor diff release:4 release:latest -e production --exit-code',
    ],
    load: async () => (await import('../commands/diff.ts')).diff,
  },
]
