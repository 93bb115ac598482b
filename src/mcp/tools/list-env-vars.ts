import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js'
import { z } from 'zod'
import { targetOf, targetShape, type ToolDeps } from '../context.ts'
import { runTool } from '../tool-result.ts'

const DESCRIPTION = `List the variables of an environment: names, kinds (config, secret, system) and count.
Secret values are write-only: no tool ever returns one, or any part of one. Config values are included only when includeValues is true (values that look like credentials stay hidden).
Use it to see what is set before set_env_vars or delete_env_vars.`

/** Registers `list_env_vars`. */
export function registerListEnvVars(server: McpServer, deps: ToolDeps): void {
  server.registerTool(
    'list_env_vars',
    {
      title: 'List variables',
      description: DESCRIPTION,
      inputSchema: {
        includeValues: z
          .boolean()
          .optional()
          .describe('true = include the values of config and system variables (never secrets)'),
        ...targetShape,
      },
      annotations: { readOnlyHint: true },
    },
    (args) =>
      runTool(async () => {
        const t = targetOf(deps, args)
        const list = await deps.client.vars.list(t)
        // Built field by field: the listing's previews and secret fields are never copied.
        const vars = list.vars.map((v) => ({
          key: v.key,
          kind: v.kind,
          ...(args.includeValues === true && v.kind !== 'secret' && v.value !== undefined
            ? { value: v.value }
            : {}),
        }))
        return {
          project: t.project,
          environment: t.env,
          count: vars.length,
          secrets: vars.filter((v) => v.kind === 'secret').length,
          revision: list.revision,
          redeployRequired: list.redeployRequired,
          vars,
        }
      }),
  )
}
