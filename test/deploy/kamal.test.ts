import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { parseKamalSecrets } from '../helpers/export-models/kamal-secrets.ts'
import { removeTempDirs } from '../cli/helpers.ts'
import { CONFIG, OP_VALUES, runPage, startSandbox, type Sandbox } from './helpers/sandbox.ts'

let sb: Sandbox
beforeAll(async () => {
  sb = await startSandbox()
}, 60_000)
afterAll(async () => {
  await sb.stop()
  removeTempDirs()
})

describe('docs/deploy/kamal.md', () => {
  it('runs as written: kamal:init output, .kamal/secrets and deploy.yml match, deploy gets the release', async () => {
    const cwd = join(sb.dir, 'kamal')
    const runs = await runPage(sb, 'kamal.md', cwd)
    expect(runs.map((r) => r.command.trim())).toEqual([
      'tresor kamal:init -p myapp -e production',
      'kamal deploy',
    ])
    const record = JSON.parse(readFileSync(sb.env.FAKE_KAMAL_RECORD ?? '', 'utf8')) as {
      env: Record<string, string>
      registry: string[]
    }
    // Every variable of the release reaches the containers byte for byte: config through
    // env.clear, secrets and system variables through .kamal/secrets and kamal secrets extract.
    expect(record.env).toEqual(Object.fromEntries(sb.released))
    expect(record.registry).toEqual([OP_VALUES['op://Deploy/registry/password']])
    // The 1Password reference was read once, on this machine, exactly.
    const opLog = readFileSync(sb.env.FAKE_OP_LOG ?? '', 'utf8')
    expect(opLog).toBe('read --no-newline op://Deploy/registry/password\n')
  })

  it('keeps every secret out of the files it writes and out of what it prints', async () => {
    const cwd = join(sb.dir, 'kamal-2')
    const runs = await runPage(sb, 'kamal.md', cwd)
    const written = ['.kamal/secrets', 'config/deploy.yml', '.kamal/local.env'].map((f) =>
      readFileSync(join(cwd, f), 'utf8'),
    )
    const printed = runs.flatMap((r) => [r.stdout, r.stderr])
    for (const [key, value] of sb.released)
      if (
        ![
          'RAILS_ENV',
          'RAILS_LOG_LEVEL',
          'PORT',
          'APP_ENV',
          'TRESOR_PROJECT_SLUG',
          'TRESOR_ENV_SLUG',
        ].includes(key)
      )
        for (const text of [...written, ...printed]) expect(text, key).not.toContain(value)
  })

  it('gives every secret and system value through .kamal/secrets, read in-process with the real shell', async () => {
    const cwd = join(sb.dir, 'kamal-3')
    await runPage(sb, 'kamal.md', cwd)
    const read = parseKamalSecrets(readFileSync(join(cwd, '.kamal/secrets'), 'utf8'), {
      env: sb.env,
      cwd,
    })
    read.delete('TRESOR_SECRETS')
    read.delete('KAMAL_REGISTRY_PASSWORD')
    read.delete('DEPLOYED_BY')
    const secrets = new Map(sb.released)
    for (const [key] of CONFIG) secrets.delete(key) // config comes through deploy.yml instead
    expect(read).toEqual(secrets)
  })
})
