import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js'
import { z } from 'zod'
import { targetOf, targetShape, type ToolDeps } from '../context.ts'
import { runTool } from '../tool-result.ts'

const DESCRIPTION = `Deploy an environment: make a new release, an immutable snapshot of its current variables, so that the running app gets every change made since the last deploy.
Fails, naming each key, when a \${{…}} reference is missing or circular or a required key is unset. Returns the release number, never the variables.`

/** Registers `deploy`. */
export function registerDeploy(server: McpServer, deps: ToolDeps): void {
  server.registerTool(
    'deploy',
    {
      title: 'Deploy',
      description: DESCRIPTION,
      inputSchema: {
        message: z.string().max(500).optional().describe('Why: shown in the release history'),
        ...targetShape,
      },
    },
    (args) =>
      runTool(async () => {
        const t = targetOf(deps, args)
        const r = await deps.client.deploys.deploy(t.project, t.env, args.message)
        return {
          project: t.project,
          environment: t.env,
          release: r.number,
          id: r.id,
          status: r.status,
          revision: r.revision,
        }
      }),
  )
}
