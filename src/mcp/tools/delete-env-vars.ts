import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js'
import { z } from 'zod'
import { assertPlainKeys } from '../config-rules.ts'
import { targetOf, targetShape, type ToolDeps } from '../context.ts'
import { runTool } from '../tool-result.ts'

const DESCRIPTION = `Remove variables from an environment by name (config or secret). Reports which keys were removed and which were not found; other keys, comments and references are untouched.
System variables (PORT, APP_ENV, TRESOR_*) cannot be removed. Changes reach the running app only after deploy.
To clear a value instead of removing the key, use set_env_vars with an empty string.`

/** Registers `delete_env_vars`. */
export function registerDeleteEnvVars(server: McpServer, deps: ToolDeps): void {
  server.registerTool(
    'delete_env_vars',
    {
      title: 'Delete variables',
      description: DESCRIPTION,
      inputSchema: {
        keys: z
          .array(z.string().min(1).max(256))
          .min(1)
          .max(1000)
          .describe('Names of the variables to remove'),
        ...targetShape,
      },
      annotations: { destructiveHint: true, idempotentHint: true },
    },
    (args) =>
      runTool(async () => {
        const t = targetOf(deps, args)
        assertPlainKeys('keys', args.keys)
        const out = await deps.client.vars.remove(t, args.keys)
        return {
          project: t.project,
          environment: t.env,
          removed: out.removed,
          notFound: out.notFound,
          revision: out.revision,
          redeployRequired: out.redeployRequired,
          ...(out.removed.length > 0 &&
            out.redeployRequired && { next: 'call deploy so that the running app sees this' }),
        }
      }),
  )
}
