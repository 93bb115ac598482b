import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js'
import type { ToolDeps } from './context.ts'
import { registerCreatePreview } from './tools/create-preview.ts'
import { registerDeleteEnvVars } from './tools/delete-env-vars.ts'
import { registerDeploy } from './tools/deploy.ts'
import { registerEnvStatus } from './tools/env-status.ts'
import { registerListEnvVars } from './tools/list-env-vars.ts'
import { registerRequestSecret } from './tools/request-secret.ts'
import { registerSecretRequestStatus } from './tools/secret-request-status.ts'
import { registerSetEnvVars } from './tools/set-env-vars.ts'

const INSTRUCTIONS = `Tresor keeps this app's environment variables per environment.
Use set_env_vars for non-secret config only. For any secret (API key, password, token), call request_secret and give the link to the user: the value never passes through you, and no tool can read a secret back.
Changes reach the running app only after deploy; env_status says whether one is needed.`

/**
 * The MCP server of `tresor mcp`: eight tools over the REST API with the agent's token. No tool
 * accepts or returns a secret value.
 */
export function createMcpServer(deps: ToolDeps, version: string): McpServer {
  const server = new McpServer({ name: 'tresor', version }, { instructions: INSTRUCTIONS })
  for (const register of [
    registerSetEnvVars,
    registerListEnvVars,
    registerDeleteEnvVars,
    registerRequestSecret,
    registerSecretRequestStatus,
    registerDeploy,
    registerEnvStatus,
    registerCreatePreview,
  ])
    register(server, deps)
  return server
}
