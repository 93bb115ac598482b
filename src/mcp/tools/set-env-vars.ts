import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js'
import { z } from 'zod'
import { isApiError } from '../../client/index.ts'
import { AppError } from '../../core/errors.ts'
import { assertConfigOnly } from '../config-rules.ts'
import { targetOf, targetShape, type EnvTarget, type ToolDeps } from '../context.ts'
import { runTool } from '../tool-result.ts'

const DESCRIPTION = `Set non-secret configuration variables (ports, flags, public URLs, hostnames) of an environment.
Merges by default: keys you name are overwritten in place or appended; every other key, comment, blank line and \${{project.KEY}} reference stays as it is.
replace: true rewrites the whole document with exactly what you pass (removes every other key, comment and reference) and is refused while the environment holds secrets.
Refused, naming the key, with nothing changed: keys that are secrets, system variables (PORT, APP_ENV, TRESOR_*), names that say secret (…_PASSWORD, …_SECRET, …_TOKEN, …_API_KEY), and values that look like credentials (API keys, tokens, private keys, passwords in URLs, high-entropy strings). For any secret, call request_secret instead: a person types the value in a browser and it never passes through you.
Changes reach the running app only after deploy.`

const MAX_ATTEMPTS = 3

async function setOnce(
  deps: ToolDeps,
  t: EnvTarget,
  env: Record<string, string>,
  replace: boolean,
) {
  const current = await deps.client.vars.list(t)
  const kinds = new Map(current.vars.map((v) => [v.key, v.kind]))
  assertConfigOnly('set_env_vars', Object.entries(env), kinds)
  const secrets = current.vars.filter((v) => v.kind === 'secret').map((v) => v.key)
  if (replace && secrets.length > 0)
    throw new AppError(
      'VALIDATION_FAILED',
      `replace would delete the secrets ${secrets.join(', ')}, which an agent cannot restore; merge instead (the default) and remove keys with delete_env_vars`,
      secrets.map((key) => ({ key, message: `${key} is a secret that replace would delete` })),
    )
  // Based on the revision just checked, so a key that became a secret meanwhile is not overwritten.
  return deps.client.vars.patch(t, { env, replace }, { baseRevision: current.revision })
}

/** Registers `set_env_vars`. */
export function registerSetEnvVars(server: McpServer, deps: ToolDeps): void {
  server.registerTool(
    'set_env_vars',
    {
      title: 'Set config variables',
      description: DESCRIPTION,
      inputSchema: {
        env: z
          .record(z.string(), z.string().max(65_536))
          .describe('The variables to set, as {"KEY": "value"}; non-secret config only'),
        replace: z
          .boolean()
          .optional()
          .describe('true = rewrite the whole document with exactly env (almost always wrong)'),
        ...targetShape,
      },
      annotations: { destructiveHint: true, idempotentHint: true },
    },
    (args) =>
      runTool(async () => {
        const t = targetOf(deps, args)
        const replace = args.replace === true
        if (Object.keys(args.env).length === 0 && !replace)
          throw new AppError('BAD_REQUEST', 'env is empty: name at least one variable to set')
        for (let attempt = 1; ; attempt++) {
          try {
            const out = await setOnce(deps, t, args.env, replace)
            return {
              project: t.project,
              environment: t.env,
              set: Object.keys(args.env),
              revision: out.revision,
              warnings: out.warnings ?? [],
              redeployRequired: out.redeployRequired,
              ...(out.redeployRequired && {
                next: 'call deploy so that the running app sees these changes',
              }),
            }
          } catch (err) {
            if (!isApiError(err, 'PRECONDITION_FAILED') || attempt >= MAX_ATTEMPTS) throw err
          }
        }
      }),
  )
}
