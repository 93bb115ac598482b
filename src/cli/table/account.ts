import type { VerbSpec } from '../spec.ts'

const group = 'Account and projects:'

/** login, logout, whoami, link, projects and environments. */
export const ACCOUNT_VERBS: VerbSpec[] = [
  {
    name: 'login',
    group,
    summary: 'save a token for a server (read from stdin or a hidden prompt), or sign in with SSO',
    options: [
      {
        flags: '--sso',
        description: "sign in with the workspace's identity provider (device code in a browser)",
      },
    ],
    examples: [
      'tresor login --url https://tresor.example.com',
      'printf %s "$TOKEN" | tresor login --url http://127.0.0.1:7070',
      'tresor login --sso --url https://tresor.example.com',
    ],
    load: async () => (await import('../commands/auth.ts')).login,
  },
  {
    name: 'logout',
    group,
    summary: 'forget the saved credential of a server (an SSO session is ended on the server)',
    json: false,
    examples: ['tresor logout', 'tresor logout --url https://tresor.example.com'],
    load: async () => (await import('../commands/auth.ts')).logout,
  },
  {
    name: 'whoami',
    group,
    summary: 'show who the token belongs to and what it may do',
    examples: ['tresor whoami', 'tresor whoami --json'],
    load: async () => (await import('../commands/auth.ts')).whoami,
  },
  {
    name: 'link',
    group,
    summary: 'write .tresor.json here so that -p and -e can be left out',
    options: [
      { flags: '-p, --project <project>', description: 'the project to link (required)' },
      { flags: '-e, --env <env>', description: 'its default environment (default: development)' },
    ],
    json: false,
    examples: ['tresor link -p myapp -e staging'],
    load: async () => (await import('../commands/link.ts')).link,
  },
  {
    name: 'projects',
    group,
    summary: 'list projects and their environments',
    examples: ['tresor projects', 'tresor projects --json'],
    load: async () => (await import('../commands/projects.ts')).projects,
  },
  {
    name: 'projects:create',
    group,
    summary: 'create a project (environments development, staging, production by default)',
    args: ['<slug>'],
    options: [
      { flags: '--envs <list>', description: 'comma-separated environments to create' },
      { flags: '--name <name>', description: 'display name (default: the slug)' },
    ],
    examples: ['tresor projects:create myapp', 'tresor projects:create api --envs dev,prod'],
    load: async () => (await import('../commands/projects.ts')).projectsCreate,
  },
  {
    name: 'envs',
    group,
    summary: 'list the environments of a project, with their redeploy status',
    target: 'project',
    examples: ['tresor envs -p myapp', 'tresor envs --json'],
    load: async () => (await import('../commands/projects.ts')).envs,
  },
  {
    name: 'envs:create',
    group,
    summary: 'create an environment, optionally cloned from a parent',
    args: ['<slug>'],
    target: 'project',
    options: [
      { flags: '--parent <env>', description: "clone the parent environment's variables" },
      { flags: '--ttl <ttl>', description: 'delete it after this long (e.g. 7d)' },
    ],
    examples: [
      'tresor envs:create qa -p myapp',
      'tresor envs:create pr-42 --parent staging --ttl 7d',
    ],
    load: async () => (await import('../commands/projects.ts')).envsCreate,
  },
]
