import type { ExportInput } from './common.ts'
import { exportGithubEnv } from './github.ts'
import { EXPORT_FORMATS, exportEnv, type ExportOptions } from './index.ts'
import { exportKamalJson } from './kamal-json.ts'

/**
 * What `tresor export` writes a release's environment as: the config:export formats plus two
 * deploy-only ones, `github` (`$GITHUB_ENV` heredocs) and `kamal-json` (what `kamal secrets
 * extract` reads). Kept apart from EXPORT_FORMATS, the CLI contract of `config:export`.
 */
export const DEPLOY_FORMATS = [...EXPORT_FORMATS, 'github', 'kamal-json'] as const

export type DeployFormat = (typeof DEPLOY_FORMATS)[number]

/** True when `name` is one of DEPLOY_FORMATS. */
export function isDeployFormat(name: string): name is DeployFormat {
  return (DEPLOY_FORMATS as readonly string[]).includes(name)
}

/** The file text of `env` in `format`; refuses what the target cannot carry, like exportEnv. */
export function exportDeployEnv(
  format: DeployFormat,
  env: ExportInput,
  opts: ExportOptions = {},
): string {
  if (format === 'github') return exportGithubEnv(env)
  if (format === 'kamal-json') return exportKamalJson(env)
  return exportEnv(format, env, opts)
}
