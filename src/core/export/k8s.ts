import { AppError } from '../errors.ts'
import { checkedEntries, type ExportInput } from './common.ts'
import { yamlQuote } from './yaml.ts'

/** Options of the Kubernetes exporter; `name` wins over the one derived from project and env. */
export interface K8sOptions {
  name?: string
  project?: string
  environment?: string
  namespace?: string
}

const CONFIG_KEY = /^[-._a-zA-Z0-9]+$/
const DNS_LABEL = '[a-z0-9](?:[-a-z0-9]*[a-z0-9])?'
const DNS_SUBDOMAIN = new RegExp(`^${DNS_LABEL}(?:\\.${DNS_LABEL})*$`)
/** Kubernetes refuses a Secret whose data exceeds 1 MiB. */
export const K8S_MAX_SECRET_BYTES = 1024 * 1024

/**
 * A `v1` `Secret` manifest (`type: Opaque`) whose `data` holds each value as base64 of its UTF-8
 * bytes; keys and values are double-quoted so YAML 1.1 readers (kubectl's) never retype them.
 */
export function exportK8s(env: ExportInput, opts: K8sOptions = {}): string {
  const name = opts.name ?? deriveSecretName(opts.project, opts.environment)
  checkName('name', name, DNS_SUBDOMAIN, 253)
  if (opts.namespace !== undefined)
    checkName('namespace', opts.namespace, new RegExp(`^${DNS_LABEL}$`), 63)
  const entries = checkedEntries('Kubernetes Secret', env, k8sKeyProblem)
  const bytes = entries.reduce((n, [k, v]) => n + Buffer.byteLength(k) + Buffer.byteLength(v), 0)
  if (bytes > K8S_MAX_SECRET_BYTES)
    throw new AppError(
      'UNREPRESENTABLE_VALUE',
      'the variables are too large for one Kubernetes Secret',
      [
        {
          field: 'data',
          message: `the Secret's data would be ${bytes} bytes; Kubernetes allows 1 MiB`,
        },
      ],
    )
  // Quoted: `123`, `1e3`, `null` and `yes` are valid DNS names that YAML would retype.
  const lines = ['apiVersion: v1', 'kind: Secret', 'metadata:', `  name: ${yamlQuote(name)}`]
  if (opts.namespace !== undefined) lines.push(`  namespace: ${yamlQuote(opts.namespace)}`)
  lines.push('type: Opaque', entries.length === 0 ? 'data: {}' : 'data:')
  for (const [key, value] of entries)
    lines.push(`  ${yamlQuote(key)}: "${Buffer.from(value, 'utf8').toString('base64')}"`)
  return lines.join('\n') + '\n'
}

/**
 * A DNS-1123 name from the project and environment slugs (`myapp-production`): lower-cased,
 * runs of other characters turned into `-`, trimmed to 253; `tresor` when nothing is left.
 */
export function deriveSecretName(project?: string, environment?: string): string {
  const raw = [project, environment].filter((s) => s !== undefined && s !== '').join('-')
  const name = raw
    .toLowerCase()
    .replace(/[^a-z0-9.-]+/g, '-')
    .replace(/[-.]*\.[-.]*/g, '.')
    .slice(0, 253)
    .replace(/^[^a-z0-9]+|[^a-z0-9]+$/g, '')
  return name === '' ? 'tresor' : name
}

function k8sKeyProblem(key: string): string | undefined {
  if (!CONFIG_KEY.test(key)) return 'Secret keys allow only letters, digits, "-", "_" and "."'
  if (key.length > 253) return 'Secret keys are at most 253 characters'
  if (key === '.' || key.startsWith('..')) return 'Secret keys cannot be "." or start with ".."'
  return undefined
}

function checkName(field: string, value: string, rule: RegExp, max: number): void {
  if (value.length <= max && rule.test(value)) return
  throw new AppError('VALIDATION_FAILED', `invalid Kubernetes Secret ${field}`, [
    {
      field,
      message: `must be at most ${max} characters of a-z, 0-9, "-"${field === 'name' ? ' and "."' : ''}, starting and ending with a letter or digit`,
    },
  ])
}
