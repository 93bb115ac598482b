import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js'
import { z } from 'zod'
import { IdOrSlugSchema, SlugSchema } from '../../api/common.ts'
import { isApiError } from '../../client/index.ts'
import { AppError } from '../../core/errors.ts'
import { assertConfigOnly } from '../config-rules.ts'
import { projectOf, targetShape, type ToolDeps } from '../context.ts'
import { runTool } from '../tool-result.ts'

const DESCRIPTION = `Create a preview environment (e.g. pr-42) cloned from a parent environment at this moment, with config overrides applied (\${PREVIEW_URL} in an override becomes the preview's URL).
Later changes to the preview touch only the preview. It is deleted when its ttl runs out (default 7d).
Overrides follow the set_env_vars rules: non-secret config only. Deploy it with deploy and environment set to the slug.`

/** Registers `create_preview`. */
export function registerCreatePreview(server: McpServer, deps: ToolDeps): void {
  server.registerTool(
    'create_preview',
    {
      title: 'Create a preview environment',
      description: DESCRIPTION,
      inputSchema: {
        slug: SlugSchema.describe('The preview environment slug, e.g. pr-42'),
        parent: IdOrSlugSchema.describe('The environment to clone, e.g. staging'),
        overrides: z
          .record(z.string(), z.string().max(65_536))
          .optional()
          .describe('Config variables to set on the preview: {"KEY": "value"}'),
        ttl: z.string().max(10).optional().describe('Lifetime such as 7d (default) or 48h'),
        url: z.string().max(2000).optional().describe("The preview's URL, used for PREVIEW_URL"),
        project: targetShape.project,
      },
    },
    (args) =>
      runTool(async () => {
        const project = projectOf(deps, args)
        const overrides = args.overrides ?? {}
        const parent = await deps.client.vars.list({ project, env: args.parent })
        assertConfigOnly(
          'create_preview',
          Object.entries(overrides),
          new Map(parent.vars.map((v) => [v.key, v.kind])),
        )
        const env = await deps.client.deploys
          .createPreview(project, {
            slug: args.slug,
            parent: args.parent,
            overrides,
            ...(args.ttl === undefined ? {} : { ttl: args.ttl }),
            ...(args.url === undefined ? {} : { url: args.url }),
          })
          .catch((err: unknown) => {
            if (isApiError(err) && err.httpStatus === 404 && /no route/i.test(err.message))
              throw new AppError('NOT_FOUND', 'this Tresor server does not support previews yet')
            throw err
          })
        return {
          project,
          environment: env.slug,
          id: env.id,
          parent: args.parent,
          expiresAt: env.expiresAt,
          redeployRequired: env.redeployRequired,
          next: `call deploy with environment ${env.slug} to release it`,
        }
      }),
  )
}
