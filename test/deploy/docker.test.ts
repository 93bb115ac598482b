import { existsSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { parseDockerEnvFile } from '../helpers/export-models/docker-kvfile.ts'
import { removeTempDirs } from '../cli/helpers.ts'
import { bash, runPage, startSandbox, type Sandbox } from './helpers/sandbox.ts'

let sb: Sandbox
beforeAll(async () => {
  sb = await startSandbox()
}, 60_000)
afterAll(async () => {
  await sb.stop()
  removeTempDirs()
})

describe('docs/deploy/docker.md, with the real docker CLI and a fake engine', () => {
  it('runs as written; each container is created with exactly the release env', async () => {
    const cwd = join(sb.dir, 'docker')
    const runs = await runPage(sb, 'docker.md', cwd)
    expect(runs).toHaveLength(2)
    const expected = [...sb.released].map(([k, v]) => `${k}=${v}`)
    expect(sb.engine.containers.map((c) => [c.name, c.image])).toEqual([
      ['myapp', 'myorg/myapp:latest'],
      ['myapp-2', 'myorg/myapp:latest'],
    ])
    // What docker 28's own --env-file parser sent to the engine, in order, byte for byte.
    for (const c of sb.engine.containers) expect(c.env).toEqual(expected)
    // The page removes the file it wrote; the process-substitution form never wrote one.
    expect(existsSync(join(cwd, 'myapp.env'))).toBe(false)
  })

  it('matches the research model of docker 28 and of newer CLIs that strip matching quotes', () => {
    const text = [...sb.released].map(([k, v]) => `${k}=${v}`).join('\n') + '\n'
    const old = parseDockerEnvFile(text, { trimQuotes: false })
    expect(parseDockerEnvFile(text, { trimQuotes: true })).toEqual(old)
    expect(new Map(old)).toEqual(sb.released)
  })

  it('refuses a multi-line value by name, writes no file and starts nothing', async () => {
    const pem = '-----BEGIN KEY-----\ncanary-pem-body\n-----END KEY-----'
    await sb.api('PUT', '/v1/projects/myapp/environments/staging/vars', {
      key: 'TLS_KEY',
      value: pem,
      kind: 'secret',
    })
    await sb.api('POST', '/v1/projects/myapp/environments/staging/releases', {})
    const cwd = join(sb.dir, 'docker-refuse')
    const before = sb.engine.containers.length
    const r = await bash(
      'mkdir -p x && cd x && tresor export --format docker -p myapp -e staging --output staging.env && docker run -d --env-file staging.env myorg/myapp:latest',
      sb.dir,
      sb.env,
    )
    void cwd
    expect(r.code).toBe(1)
    expect(r.stderr).toContain(
      'TLS_KEY: cannot be exported as docker --env-file: the value spans several lines',
    )
    expect(r.stderr + r.stdout).not.toContain('canary-pem-body')
    expect(existsSync(join(sb.dir, 'x/staging.env'))).toBe(false)
    expect(sb.engine.containers.length).toBe(before)
  })
})
