import type { VerbSpec } from '../spec.ts'

const group = 'Add-ons:'
const env = { group, target: 'env' as const }

/** addons, addons:attach, addons:rotate, addons:detach. */
export const ADDON_VERBS: VerbSpec[] = [
  {
    ...env,
    name: 'addons',
    summary: "list an environment's add-ons: name, mode and variable names (never values)",
    examples: ['tresor addons -p myapp -e staging', 'tresor addons --json'],
    load: async () => (await import('../commands/addons.ts')).addons,
  },
  {
    ...env,
    name: 'addons:attach',
    summary: 'attach an add-on with its variables (or --provision a database), or replace them',
    args: ['<name>', '[pairs...]'],
    options: [
      {
        flags: '--provision',
        description: 'built-in postgres: have the server create a database and role',
      },
      {
        flags: '--from-file <file>',
        description: 'read KEY=VALUE lines from a dotenv file (- for stdin)',
      },
      {
        flags: '--config <key>',
        description: 'show this variable in clear (default: secret, masked)',
        repeatable: true,
      },
    ],
    examples: [
      'tresor addons:attach postgres --provision -e staging',
      'printf \'REDIS_URL=%s\\n\' "$REDIS_URL" | tresor addons:attach redis -e production',
      'tresor addons:attach mail-relay --from-file relay.env --config SMTP_HOST -e staging',
    ],
    load: async () => (await import('../commands/addons.ts')).addonsAttach,
  },
  {
    ...env,
    name: 'addons:rotate',
    summary: 'give a provisioned add-on new credentials (the app gets them at the next release)',
    args: ['<name>'],
    examples: ['tresor addons:rotate postgres -e production && tresor deploy -e production'],
    load: async () => (await import('../commands/addons.ts')).addonsRotate,
  },
  {
    ...env,
    name: 'addons:detach',
    summary: 'detach an add-on; its variables leave the next release',
    args: ['<name>'],
    confirm: true,
    options: [
      {
        flags: '--drop-database',
        description: 'a provisioned database: drop it and its role, with all their data',
      },
    ],
    examples: [
      'tresor addons:detach redis -e staging',
      'tresor addons:detach postgres --drop-database -e pr-42 --yes',
    ],
    load: async () => (await import('../commands/addons.ts')).addonsDetach,
  },
]
