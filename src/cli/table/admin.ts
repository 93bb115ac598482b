import type { VerbSpec } from '../spec.ts'
import { UsageError } from '../errors.ts'

const group = 'Access, audit and server:'

/**
 * The composition root (src/main/cli.ts) runs these verbs before this table is built; their
 * rows exist for help and typo suggestions.
 */
const serverSide = (name: string) => () => {
  throw new UsageError(`tresor ${name} must be started by the tresor binary`)
}

/** tokens…, audit, server. */
export const ADMIN_VERBS: VerbSpec[] = [
  {
    name: 'tokens',
    group,
    summary: 'list tokens (never their values)',
    options: [{ flags: '--all', description: 'include revoked and expired tokens' }],
    examples: ['tresor tokens', 'tresor tokens --all --json'],
    load: async () => (await import('../commands/tokens.ts')).tokens,
  },
  {
    name: 'tokens:create',
    group,
    summary: 'create a token and print it once (-p makes a service token for one project)',
    options: [
      { flags: '-p, --project <project>', description: 'make a service token for this project' },
      {
        flags: '-e, --env <envs>',
        description: 'restrict it to these environments (comma-separated; needs -p)',
      },
      { flags: '--name <name>', description: 'what the token is for (required)' },
      { flags: '--ttl <ttl>', description: 'lifetime such as 30d, 12h (default 30d)' },
      {
        flags: '--scope <scope>',
        description: 'read, write, secrets:reveal, deploy or admin',
        repeatable: true,
      },
    ],
    examples: [
      'tresor tokens:create --name laptop --scope read --scope write',
      'tresor tokens:create --name ci -p myapp -e production --scope deploy --ttl 90d',
    ],
    load: async () => (await import('../commands/tokens.ts')).tokensCreate,
  },
  {
    name: 'tokens:revoke',
    group,
    summary: 'revoke a token by id',
    args: ['<id>'],
    examples: ['tresor tokens:revoke tok_0123456789abcdef'],
    load: async () => (await import('../commands/tokens.ts')).tokensRevoke,
  },
  {
    name: 'members',
    group,
    summary: "list the workspace's members: role, status, production-reveal grant",
    examples: ['tresor members', 'tresor members --json'],
    load: async () => (await import('../commands/members.ts')).members,
  },
  {
    name: 'members:add',
    group,
    summary: 'add a member with a role (admin, developer or viewer)',
    args: ['<email>'],
    options: [
      { flags: '--role <role>', description: 'admin, developer or viewer (required)' },
      { flags: '--name <name>', description: 'display name (default: the email)' },
      {
        flags: '--reveal-production',
        description: 'a developer may reveal production secrets (with a secrets:reveal token)',
      },
    ],
    examples: [
      'tresor members:add dev@example.com --role developer',
      'tresor members:add lead@example.com --role developer --reveal-production',
    ],
    load: async () => (await import('../commands/members.ts')).membersAdd,
  },
  {
    name: 'members:update',
    group,
    summary: "change a member's role, disable or enable them, grant or withdraw production reveals",
    args: ['<id>'],
    options: [
      { flags: '--role <role>', description: 'admin, developer or viewer' },
      { flags: '--disable', description: 'their tokens and sessions stop working' },
      { flags: '--enable', description: 'undo --disable' },
      { flags: '--reveal-production', description: 'grant a developer production reveals' },
      { flags: '--no-reveal-production', description: 'withdraw that grant' },
    ],
    examples: [
      'tresor members:update mem_0123456789abcdef --reveal-production',
      'tresor members:update mem_0123456789abcdef --role viewer --no-reveal-production',
    ],
    load: async () => (await import('../commands/members.ts')).membersUpdate,
  },
  {
    name: 'audit',
    group,
    summary: 'show the audit log (newest first), or --verify its hash chain',
    options: [
      { flags: '-p, --project <project>', description: 'only events of this project' },
      { flags: '-e, --env <env>', description: 'only events of this environment (needs -p)' },
      { flags: '--verify', description: 'check that no event was changed or removed' },
      { flags: '--limit <n>', description: 'how many events (default 50)' },
      { flags: '--action <action>', description: 'only this action, e.g. vars.reveal' },
    ],
    examples: [
      'tresor audit --limit 20',
      'tresor audit --action vars.reveal -p myapp',
      'tresor audit --verify',
    ],
    load: async () => (await import('../commands/audit.ts')).audit,
  },
  {
    name: 'server',
    group,
    summary: 'start the API server and print the URL it listens on',
    local: true,
    json: false,
    options: [
      { flags: '--host <host>', description: 'listen address (TRESOR_HOST, default 127.0.0.1)' },
      {
        flags: '--port <port>',
        description: 'listen port, 0 = any free port (TRESOR_PORT, default 7070)',
      },
      {
        flags: '--data-dir <dir>',
        description: 'data directory (TRESOR_DATA_DIR, default ./.tresor)',
      },
    ],
    examples: ['tresor server', 'TRESOR_DATA_DIR=/var/lib/tresor tresor server --port 7070'],
    load: serverSide('server'),
  },
  {
    name: 'keys:rotate-root',
    group,
    summary: "rotate the root key file and re-wrap every data key (on the server's machine)",
    local: true,
    json: false,
    options: [{ flags: '--data-dir <dir>', description: 'data directory (TRESOR_DATA_DIR)' }],
    examples: ['tresor keys:rotate-root --data-dir /var/lib/tresor'],
    load: serverSide('keys:rotate-root'),
  },
  {
    name: 'mcp',
    group,
    summary: 'run the MCP server for AI agents on stdio (tresor mcp --help)',
    target: 'env',
    local: true,
    json: false,
    examples: ['tresor mcp -p myapp -e staging'],
    load: serverSide('mcp'),
  },
]
