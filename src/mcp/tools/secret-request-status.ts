import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js'
import { idSchema } from '../../api/common.ts'
import { targetOf, targetShape, type ToolDeps } from '../context.ts'
import { runTool } from '../tool-result.ts'

const DESCRIPTION = `Check a secret request made with request_secret: pending (waiting for the person), fulfilled (the secret is stored) or expired (make a new request).
Never returns the value.`

/** Registers `secret_request_status`. */
export function registerSecretRequestStatus(server: McpServer, deps: ToolDeps): void {
  server.registerTool(
    'secret_request_status',
    {
      title: 'Secret request status',
      description: DESCRIPTION,
      inputSchema: {
        id: idSchema('secretRequest').describe('The id request_secret returned (sreq_…)'),
        ...targetShape,
      },
      annotations: { readOnlyHint: true },
    },
    (args) =>
      runTool(async () => {
        const t = targetOf(deps, args)
        const r = await deps.client.secretRequests.get(t.project, t.env, args.id)
        return {
          id: r.id,
          key: r.key,
          project: r.project,
          environment: r.environment,
          status: r.status,
          expiresAt: r.expiresAt,
          fulfilledAt: r.fulfilledAt,
          ...(r.status === 'fulfilled' && { next: 'call deploy so that the running app gets it' }),
          ...(r.status === 'expired' && { next: 'call request_secret again for a new link' }),
        }
      }),
  )
}
