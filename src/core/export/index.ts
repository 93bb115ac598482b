import type { ExportInput } from './common.ts'
import { exportDocker } from './docker.ts'
import { exportDotenv } from './dotenv.ts'
import { exportJson } from './json.ts'
import { exportK8s, type K8sOptions } from './k8s.ts'
import { exportKamal } from './kamal.ts'
import { exportShell } from './shell.ts'
import { exportSystemd } from './systemd.ts'
import { exportYaml } from './yaml.ts'

export { DOCKER_MAX_LINE_BYTES, exportDocker } from './docker.ts'
export { exportDotenv } from './dotenv.ts'
export { exportJson } from './json.ts'
export { deriveSecretName, exportK8s, K8S_MAX_SECRET_BYTES, type K8sOptions } from './k8s.ts'
export { exportKamal, kamalValue } from './kamal.ts'
export { exportShell, shellQuote } from './shell.ts'
export { exportSystemd, systemdValue } from './systemd.ts'
export { exportYaml, yamlQuote } from './yaml.ts'
export type { ExportInput } from './common.ts'

/** Every export target, in the order the CLI lists them (`--format`). */
export const EXPORT_FORMATS = [
  'dotenv',
  'shell',
  'json',
  'yaml',
  'docker',
  'systemd',
  'k8s',
  'kamal',
] as const

export type ExportFormat = (typeof EXPORT_FORMATS)[number]

/** Options some targets read; the others ignore them. */
export type ExportOptions = K8sOptions

const EXPORTERS: Record<ExportFormat, (env: ExportInput, opts: ExportOptions) => string> = {
  dotenv: exportDotenv,
  shell: exportShell,
  json: exportJson,
  yaml: exportYaml,
  docker: exportDocker,
  systemd: exportSystemd,
  k8s: exportK8s,
  kamal: exportKamal,
}

/** True when `name` is one of EXPORT_FORMATS. */
export function isExportFormat(name: string): name is ExportFormat {
  return (EXPORT_FORMATS as readonly string[]).includes(name)
}

/**
 * The file text of `env` in `format`; throws UNREPRESENTABLE_VALUE naming every key the target
 * cannot carry (never a value) instead of writing a file that reads back differently.
 */
export function exportEnv(
  format: ExportFormat,
  env: ExportInput,
  opts: ExportOptions = {},
): string {
  return EXPORTERS[format](env, opts)
}
