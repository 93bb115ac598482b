import { IdOrSlugSchema } from '../api/common.ts'
import { AppError } from '../core/errors.ts'
import type { AgentClient } from './agent-client.ts'

/** The project and environment tools use when a call names none (`-p/-e`, TRESOR_PROJECT/ENV). */
export interface McpDefaults {
  project?: string | undefined
  environment?: string | undefined
}

/** What every tool gets: the client (scoped by its token) and the defaults. */
export interface ToolDeps {
  client: AgentClient
  defaults: McpDefaults
}

/** The input fields every environment tool takes. */
export const targetShape = {
  project: IdOrSlugSchema.optional().describe(
    'Project slug or id; defaults to the one tresor mcp was started with',
  ),
  environment: IdOrSlugSchema.optional().describe(
    'Environment slug (development, staging, production, pr-42…) or id; has a default',
  ),
}

export interface EnvTarget {
  project: string
  env: string
}

/** The project a call addresses; a clear error when neither the call nor the defaults name one. */
export function projectOf(deps: ToolDeps, args: { project?: string | undefined }): string {
  const project = args.project ?? deps.defaults.project
  if (project === undefined)
    throw new AppError('BAD_REQUEST', 'no project: pass "project", or start tresor mcp with -p')
  return project
}

/** The project and environment a call addresses. */
export function targetOf(
  deps: ToolDeps,
  args: { project?: string | undefined; environment?: string | undefined },
): EnvTarget {
  const project = projectOf(deps, args)
  const env = args.environment ?? deps.defaults.environment
  if (env === undefined)
    throw new AppError(
      'BAD_REQUEST',
      'no environment: pass "environment", or start tresor mcp with -e',
    )
  return { project, env }
}
