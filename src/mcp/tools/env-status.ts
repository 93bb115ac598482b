import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js'
import { targetOf, targetShape, type ToolDeps } from '../context.ts'
import { runTool } from '../tool-result.ts'

const DESCRIPTION = `Status of an environment: whether a deploy is needed (changes not yet released), which keys changed since the current release (drifted), and which required keys are missing. Names only, never values.`

/** Registers `env_status`. */
export function registerEnvStatus(server: McpServer, deps: ToolDeps): void {
  server.registerTool(
    'env_status',
    {
      title: 'Environment status',
      description: DESCRIPTION,
      inputSchema: { ...targetShape },
      annotations: { readOnlyHint: true },
    },
    (args) =>
      runTool(async () => {
        const t = targetOf(deps, args)
        const [env, list] = await Promise.all([
          deps.client.environments.get(t.project, t.env),
          deps.client.vars.list(t),
        ])
        const present = new Set(list.vars.map((v) => v.key))
        const missing = env.requiredKeys.filter((k) => !present.has(k))
        return {
          project: t.project,
          environment: env.slug,
          redeployRequired: env.redeployRequired,
          driftedKeys: env.changedKeys,
          missingRequiredKeys: missing,
          requiredKeys: env.requiredKeys,
          currentRelease: env.currentRelease,
          revision: env.revision,
          ...(env.parentId !== null && { preview: true, expiresAt: env.expiresAt }),
          ...(missing.length > 0
            ? { next: `set ${missing.join(', ')} (request_secret for secrets) before deploying` }
            : env.redeployRequired
              ? { next: 'call deploy to release the pending changes' }
              : {}),
        }
      }),
  )
}
