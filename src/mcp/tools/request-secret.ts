import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js'
import { z } from 'zod'
import { assertPlainKeys } from '../config-rules.ts'
import { targetOf, targetShape, type ToolDeps } from '../context.ts'
import { runTool } from '../tool-result.ts'

const DESCRIPTION = `Ask a person for a secret (API key, password, token, private key) without it passing through you.
Creates a one-time link for one variable of one environment; give the link to the user and ask them to open it in a browser and type the value there. It is stored as a secret; you never see it.
The link works once and expires (default 24h). Check progress with secret_request_status; after it is fulfilled, call deploy.`

/** Registers `request_secret`. */
export function registerRequestSecret(server: McpServer, deps: ToolDeps): void {
  server.registerTool(
    'request_secret',
    {
      title: 'Request a secret from a person',
      description: DESCRIPTION,
      inputSchema: {
        key: z.string().min(1).max(256).describe('The variable name, e.g. STRIPE_SECRET_KEY'),
        description: z
          .string()
          .max(500)
          .optional()
          .describe('Shown to the person: what the value is and where to find it'),
        ttl: z
          .string()
          .regex(/^\d+[smhd]$/, 'must look like 24h, 30m or 2d')
          .optional()
          .describe('How long the link works, e.g. 24h (default) or 30m; at most 7d'),
        ...targetShape,
      },
    },
    (args) =>
      runTool(async () => {
        const t = targetOf(deps, args)
        assertPlainKeys('key', [args.key])
        const out = await deps.client.secretRequests.create(t.project, t.env, {
          key: args.key,
          ...(args.description === undefined ? {} : { description: args.description }),
          ...(args.ttl === undefined ? {} : { ttl: args.ttl }),
        })
        return {
          id: out.id,
          key: out.key,
          project: out.project,
          environment: out.environment,
          url: out.url,
          expiresAt: out.expiresAt,
          status: out.status,
          next: `ask the user to open the link in a browser and enter ${out.key}; then check secret_request_status with id ${out.id}`,
        }
      }),
  )
}
