import { existsSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { parseDockerEnvFile } from '../helpers/export-models/docker-kvfile.ts'
import { removeTempDirs } from '../cli/helpers.ts'
import { runPage, startSandbox, type Sandbox } from './helpers/sandbox.ts'

let sb: Sandbox
beforeAll(async () => {
  sb = await startSandbox()
}, 60_000)
afterAll(async () => {
  await sb.stop()
  removeTempDirs()
})

describe('docs/deploy/docker.md, with the real docker CLI and a fake engine', () => {
  it('runs as written; each container is created with exactly the release env', () => {
    const cwd = join(sb.dir, 'docker')
    const runs = runPage(sb, 'docker.md', cwd)
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

  it('reads the same with the newer CLI rules (matching quotes stripped) as with docker 28', () => {
    const r = runPage(sb, 'docker.md', join(sb.dir, 'docker-2'))
    void r
    const text = [...sb.released].map(([k, v]) => `${k}=${v}`).join('\n') + '\n'
    const old = parseDockerEnvFile(text, { trimQuotes: false })
    expect(parseDockerEnvFile(text, { trimQuotes: true })).toEqual(old)
    expect(new Map(old)).toEqual(sb.released)
  })
})
