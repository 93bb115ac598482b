import { appendFileSync } from 'node:fs'
import { resolve } from 'node:path'
import {
  DEPLOY_FORMATS,
  exportDeployEnv,
  isDeployFormat,
} from '../../core/export/deploy-formats.ts'
import { githubMaskCommands } from '../../core/export/github.ts'
import { UsageError } from '../errors.ts'
import { withLocalSources } from '../local-sources.ts'
import { fileError, writePrivateFile } from '../private-file.ts'
import type { Flags, Result, Verb, VerbContext } from '../spec.ts'
import { where } from './shared.ts'

/** The flags of the deploy verbs beyond the shared ones. */
export interface DeployFlags extends Flags {
  release?: string
  output?: string
  resolveLocal?: string
}

/** `latest`, or a release number given with `--release`. */
export function releaseRef(text: string | undefined): string {
  if (text === undefined || text === 'latest') return 'latest'
  if (!/^[1-9]\d{0,8}$/.test(text)) throw new UsageError('--release must be a release number')
  return text
}

/** The release's resolved environment (deploy scope), plus `--resolve-local` variables. */
export async function releaseEnv(
  ctx: VerbContext,
): Promise<{ env: Map<string, string>; number: number }> {
  const flags = ctx.flags as DeployFlags
  const { release, env } = await ctx.client().releases.env(ctx.target(), releaseRef(flags.release))
  return { env: await withLocalSources(ctx, new Map(Object.entries(env))), number: release.number }
}

/**
 * `tresor export --format F`: a release's environment, secrets included, for a deploy tool.
 * It goes to stdout, or with `--output FILE` to a 0600 file written atomically; never to disk
 * otherwise. `--format github` masks every value and appends them to `$GITHUB_ENV`.
 */
export const exportRelease: Verb = async (ctx) => {
  const flags = ctx.flags as DeployFlags
  const format = flags.format ?? 'dotenv'
  if (!isDeployFormat(format))
    throw new UsageError(`--format must be one of ${DEPLOY_FORMATS.join(', ')}`)
  if (format === 'github') return exportGithub(ctx)
  const t = ctx.target()
  const { env, number } = await releaseEnv(ctx)
  const text = exportDeployEnv(format, env, {
    project: t.project,
    environment: t.env,
    ...(flags.name === undefined ? {} : { name: flags.name }),
    ...(flags.namespace === undefined ? {} : { namespace: flags.namespace }),
  })
  if (flags.output === undefined) return { text }
  writePrivateFile(resolve(ctx.io.cwd, flags.output), text)
  return {
    notes: [
      `Wrote ${count(env.size)} of ${where(t)} release ${number} to ${flags.output} (mode 600).`,
    ],
  }
}

async function exportGithub(ctx: VerbContext): Promise<Result> {
  const flags = ctx.flags as DeployFlags
  if (flags.output !== undefined)
    throw new UsageError('--format github appends to $GITHUB_ENV; it takes no --output')
  const file = ctx.io.env.GITHUB_ENV
  if (file === undefined || file === '')
    throw new UsageError('--format github runs in a GitHub Actions step: GITHUB_ENV is not set')
  const { env, number } = await releaseEnv(ctx)
  const text = exportDeployEnv('github', env)
  // Printed here rather than returned: the masks must reach the runner before any value can
  // be used by a later step, even if this process dies right after the append.
  ctx.io.stdout(githubMaskCommands(env))
  try {
    appendFileSync(file, text)
  } catch (err) {
    throw fileError(file, err)
  }
  return {
    notes: [
      `Exported ${count(env.size)} of ${where(ctx.target())} release ${number} to $GITHUB_ENV, masked.`,
    ],
  }
}

const count = (n: number) => (n === 1 ? '1 variable' : `${n} variables`)
