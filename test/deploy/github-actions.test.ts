import { readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { parse as parseYaml } from 'yaml'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { maskLine, masksOf, parseGithubEnvFile } from '../helpers/export-models/github-runner.ts'
import { removeTempDirs, tempDir } from '../cli/helpers.ts'
import { docBlocks } from './helpers/docs.ts'
import { bash, startSandbox, type Sandbox } from './helpers/sandbox.ts'

interface Step {
  name?: string
  run?: string
  uses?: string
  env?: Record<string, string>
}

let sb: Sandbox
beforeAll(async () => {
  sb = await startSandbox()
}, 60_000)
afterAll(async () => {
  await sb.stop()
  removeTempDirs()
})

/** The workflow of the page, and its steps that call tresor (the others need GitHub). */
function tresorSteps(): Step[] {
  const block = docBlocks('github-actions.md').find(
    (b) => b.file === '.github/workflows/deploy.yml',
  )
  if (block === undefined) throw new Error('the page lost its workflow block')
  const workflow = parseYaml(block.text) as { jobs: { deploy: { steps: Step[] } } }
  return workflow.jobs.deploy.steps.filter((s) => s.run?.includes('tresor export') === true)
}

/** Runs one step as the runner does: bash -e, the step's env with its expressions filled in. */
async function runStep(step: Step, rewrite: (cmd: string) => string = (c) => c) {
  const githubEnv = join(tempDir('tresor-gh-'), 'set_env')
  writeFileSync(githubEnv, '')
  const expressions: Record<string, string> = {
    '${{ vars.TRESOR_URL }}': sb.server.url,
    '${{ secrets.TRESOR_DEPLOY_TOKEN }}': sb.token,
  }
  const stepEnv = Object.fromEntries(
    Object.entries(step.env ?? {}).map(([k, v]) => [k, expressions[v] ?? v]),
  )
  const { TRESOR_URL: _u, TRESOR_TOKEN: _t, ...runner } = sb.env
  const r = await bash(rewrite(step.run ?? ''), sb.dir, {
    ...runner,
    GITHUB_ACTIONS: 'true',
    GITHUB_ENV: githubEnv,
    ...stepEnv,
  })
  return { ...r, githubEnv: readFileSync(githubEnv, 'utf8') }
}

describe('docs/deploy/github-actions.md', () => {
  it('has one tresor step, which gets the token through its own env only', () => {
    const steps = tresorSteps()
    expect(steps.map((s) => s.run?.trim())).toEqual([
      'tresor export --format github -p myapp -e production',
    ])
    expect(Object.keys(steps[0]?.env ?? {})).toEqual(['TRESOR_URL', 'TRESOR_TOKEN'])
  })

  it('masks every value, then sets every variable of the release in $GITHUB_ENV', async () => {
    const [step] = tresorSteps()
    const r = await runStep(step ?? {})
    expect(r.code, r.stderr).toBe(0)
    expect(parseGithubEnvFile(r.githubEnv)).toEqual(sb.released)
    const masks = masksOf(r.stdout)
    // stdout carries workflow commands only: a value appears nowhere else.
    expect(r.stdout.split('\n').filter((l) => l !== '' && !l.startsWith('::add-mask::'))).toEqual(
      [],
    )
    for (const [key, value] of sb.released) {
      expect(masks, key).toContain(value)
      expect(maskLine(`echo ${value}`, masks)).toBe('echo ***')
    }
    expect(r.stderr).toContain('Exported 10 variables of myapp/production release 1 to $GITHUB_ENV')
  })

  it('carries multi-line values exactly and masks each of their lines (staging)', async () => {
    const pem = '-----BEGIN KEY-----\ncanary-pem-line-1\ncanary-pem-line-2\n-----END KEY-----\n'
    await sb.api('PUT', '/v1/projects/myapp/environments/staging/vars', {
      key: 'TLS_KEY',
      value: pem,
      kind: 'secret',
    })
    await sb.api('POST', '/v1/projects/myapp/environments/staging/releases', {})
    const [step] = tresorSteps()
    const r = await runStep(step ?? {}, (c) => c.replace('-e production', '-e staging'))
    expect(r.code, r.stderr).toBe(0)
    expect(parseGithubEnvFile(r.githubEnv).get('TLS_KEY')).toBe(pem)
    const logged = pem.split('\n').map((line) => maskLine(line, masksOf(r.stdout)))
    expect(logged).toEqual(['***', '***', '***', '***', ''])
  })

  it('refuses to run outside a step, where the masks would print the values', async () => {
    const r = await bash('tresor export --format github -p myapp -e production', sb.dir, sb.env)
    expect(r.code).toBe(2)
    expect(r.stderr).toContain('GITHUB_ENV is not set')
    expect(r.stdout).toBe('')
  })
})
