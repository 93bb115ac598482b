import { mkdirSync, writeFileSync } from 'node:fs'
import { dirname, resolve } from 'node:path'
import { AppError } from '../../core/errors.ts'
import { kamalSetup } from '../../core/export/kamal-setup.ts'
import { fileError } from '../private-file.ts'
import type { Flags, Verb } from '../spec.ts'

interface KamalInitFlags extends Flags {
  secretsFile?: string
  force?: boolean
}

const DEFAULT_SECRETS_FILE = '.kamal/secrets'

/**
 * `tresor kamal:init -e production`: writes `.kamal/secrets` (lines that read the release from
 * Tresor at deploy time; no value in it) and prints the `env:` block for `config/deploy.yml`,
 * split by kind. Needs only the read scope: it lists names, kinds and config values.
 */
export const kamalInit: Verb = async (ctx) => {
  const flags = ctx.flags as KamalInitFlags
  const t = ctx.target()
  const list = await ctx.client().vars.list(t)
  const setup = kamalSetup({ project: t.project, env: t.env, vars: list.vars })
  const name = flags.secretsFile ?? DEFAULT_SECRETS_FILE
  writeSecretsFile(resolve(ctx.io.cwd, name), setup.secretsFile, flags.force === true)
  return {
    text: setup.deployYaml,
    json: {
      clear: Object.fromEntries(setup.clear),
      secret: setup.secret,
      secretsFile: name,
      secretsText: setup.secretsFile,
    },
    notes: [
      `Wrote ${name}: ${setup.secret.length} secret${setup.secret.length === 1 ? '' : 's'} read from Tresor at each deploy.`,
      'Merge the env block above into config/deploy.yml, and run tresor deploy before kamal deploy.',
    ],
  }
}

function writeSecretsFile(path: string, text: string, force: boolean): void {
  try {
    mkdirSync(dirname(path), { recursive: true })
    // It holds commands, not values, so it may be committed; `wx` keeps a hand-written one safe.
    writeFileSync(path, text, { flag: force ? 'w' : 'wx', mode: 0o644 })
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'EEXIST')
      throw new AppError('CONFLICT', `${path} exists; merge the lines by hand or pass --force`, [
        { field: 'secrets-file', message: 'exists' },
      ])
    throw fileError(path, err)
  }
}
