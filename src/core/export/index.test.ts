import { describe, expect, it } from 'vitest'
import { refusal } from '../../../test/helpers/export-models/refusal.ts'
import {
  EXPORT_FORMATS,
  exportDocker,
  exportDotenv,
  exportEnv,
  exportJson,
  exportK8s,
  exportKamal,
  exportShell,
  exportSystemd,
  exportYaml,
  isExportFormat,
} from './index.ts'

const DIRECT = {
  dotenv: exportDotenv,
  shell: exportShell,
  json: exportJson,
  yaml: exportYaml,
  docker: exportDocker,
  systemd: exportSystemd,
  k8s: exportK8s,
  kamal: exportKamal,
}

describe('exportEnv', () => {
  it('lists the eight formats of the CLI contract', () => {
    expect(EXPORT_FORMATS).toEqual([
      'dotenv',
      'shell',
      'json',
      'yaml',
      'docker',
      'systemd',
      'k8s',
      'kamal',
    ])
    expect(EXPORT_FORMATS.every(isExportFormat)).toBe(true)
    expect(isExportFormat('toml')).toBe(false)
    expect(isExportFormat('__proto__')).toBe(false)
  })

  it.each(EXPORT_FORMATS)('dispatches %s to its exporter, for a Map or a list', (format) => {
    const env: [string, string][] = [
      ['APP_URL', 'https://example.com'],
      ['GREETING', 'hello world'],
    ]
    const opts = { project: 'web', environment: 'staging' }
    expect(exportEnv(format, new Map(env), opts)).toBe(DIRECT[format](env, opts))
  })

  it.each(EXPORT_FORMATS)('%s never puts a value in an error, and names the target', (format) => {
    const canary = 'canary-Secret-Value-9f3b'
    const err = refusal(() =>
      exportEnv(format, [
        ['GOOD', canary],
        ['NUL', `${canary}\0${canary}`],
        ['DUP', canary],
        ['DUP', canary],
      ]),
    )
    expect(err.code).toBe('UNREPRESENTABLE_VALUE')
    expect(err.errors.map((e) => e.key)).toEqual(['NUL', 'DUP'])
    for (const e of err.errors) expect(e.message).toMatch(/^cannot be exported as /)
    expect(JSON.stringify([err.message, err.errors, err.meta])).not.toContain('canary')
  })
})
