import { createClient, type ClientOptions } from '../client/index.ts'
import { createCaller } from '../client/request.ts'
import { deploysApi, secretRequestsApi } from '../client/secret-requests.ts'

/**
 * The client the MCP tools use: the typed REST client plus secret requests, releases and
 * previews. No tool calls `vars.reveal`: the MCP process never holds a secret value.
 */
export function createAgentClient(options: ClientOptions) {
  const call = createCaller(options)
  return {
    ...createClient(options),
    secretRequests: secretRequestsApi(call),
    deploys: deploysApi(call),
  }
}

export type AgentClient = ReturnType<typeof createAgentClient>
