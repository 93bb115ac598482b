// Composition root of `tresor mcp`: settings from flags, environment and the CLI's login, a REST
// client with the agent's token, the MCP server on stdio. No store and no root key here: the
// process only ever talks HTTP to a Tresor server.
import { homedir } from 'node:os'
import { parseArgs } from 'node:util'
import { StdioServerTransport } from '@modelcontextprotocol/sdk/server/stdio.js'
import { credentialsPath, readCredentials } from '../cli/credentials.ts'
import { findLink } from '../cli/link-file.ts'
import { normalizeBaseUrl } from '../client/index.ts'
import { nodeTransport } from '../client/node-transport.ts'
import { createAgentClient } from '../mcp/agent-client.ts'
import type { McpDefaults } from '../mcp/context.ts'
import { createMcpServer } from '../mcp/server.ts'

type Env = Readonly<Record<string, string | undefined>>

const HELP = `Usage: tresor mcp [-p PROJECT] [-e ENV] [--url URL]

Runs the MCP server for AI agents on stdio. It talks to a Tresor server over HTTP with
TRESOR_TOKEN (or the token tresor login saved for the server), and never sees a secret value.

Options:
  -p, --project <project>  default project of the tools (TRESOR_PROJECT, else .tresor.json)
  -e, --env <env>          default environment of the tools (TRESOR_ENV, else .tresor.json)
  --url <url>              the Tresor server (TRESOR_URL, else the one tresor login saved)
  -h, --help               show this help

Example MCP client entry:
  {"command": "tresor", "args": ["mcp", "-p", "myapp", "-e", "staging"],
   "env": {"TRESOR_URL": "https://tresor.example.com", "TRESOR_TOKEN": "tresor_svc_…"}}
`

// Set but empty counts as unset, as in the CLI.
const envVar = (env: Env, name: string) => (env[name] === '' ? undefined : env[name])

interface Settings {
  url: string
  token: string
  defaults: McpDefaults
}

function settingsOf(flags: { project?: string; env?: string; url?: string }, env: Env): Settings {
  // The login file is read only when the environment leaves something out.
  const creds = () => readCredentials(credentialsPath({ env, home: homedir() }))
  const raw = flags.url ?? envVar(env, 'TRESOR_URL') ?? creds().default
  if (raw === undefined)
    throw new Error('no Tresor server: set TRESOR_URL and TRESOR_TOKEN, or run tresor login')
  const url = normalizeBaseUrl(raw)
  const token = envVar(env, 'TRESOR_TOKEN') ?? creds().servers[url]?.token
  if (token === undefined)
    throw new Error(`no token for ${url}: set TRESOR_TOKEN, or run tresor login --url ${url}`)
  const link = findLink(process.cwd())
  const project = flags.project ?? envVar(env, 'TRESOR_PROJECT') ?? link?.project
  const fromLink = link !== undefined && link.project === project ? link.env : undefined
  return {
    url,
    token,
    defaults: { project, environment: flags.env ?? envVar(env, 'TRESOR_ENV') ?? fromLink },
  }
}

const OPTIONS = {
  project: { type: 'string', short: 'p' },
  env: { type: 'string', short: 'e' },
  url: { type: 'string' },
  help: { type: 'boolean', short: 'h' },
} as const

/** Serves the tools on stdio until the client closes the session. */
async function serve(settings: Settings, version: string): Promise<void> {
  const client = createAgentClient({
    baseUrl: settings.url,
    token: settings.token,
    transport: nodeTransport(),
    userAgent: `tresor-mcp/${version}`,
  })
  const server = createMcpServer({ client, defaults: settings.defaults }, version)
  const closed = new Promise<void>((resolve) => {
    server.server.onclose = resolve
  })
  await server.connect(new StdioServerTransport())
  // The client ending the session closes stdin: stop then, rather than idle forever.
  process.stdin.once('end', () => void server.close())
  await closed
}

/** Runs `tresor mcp` until stdin closes; returns the exit code (1: settings, 2: usage). */
export async function runMcpCommand(
  args: string[],
  env: Env,
  version: string,
  stderr: (text: string) => void,
): Promise<number> {
  let flags
  try {
    flags = parseArgs({ args, options: OPTIONS, strict: true, allowPositionals: false }).values
  } catch (err) {
    stderr(`${err instanceof Error ? err.message : 'invalid arguments'} (see tresor mcp --help)\n`)
    return 2
  }
  if (flags.help === true) {
    process.stdout.write(HELP)
    return 0
  }
  let settings: Settings
  try {
    settings = settingsOf(flags, env)
  } catch (err) {
    stderr(`tresor mcp: ${err instanceof Error ? err.message : 'invalid settings'}\n`)
    return 1
  }
  await serve(settings, version)
  return 0
}
