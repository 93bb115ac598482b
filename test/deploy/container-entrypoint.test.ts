import { mkdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
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

// The app of the page's image: prints the environment it was started with.
const SERVER_JS = 'process.stdout.write(JSON.stringify(process.env))\n'

describe('docs/deploy/container-entrypoint.md, real docker CLI, fake engine running the image', () => {
  it('builds and runs as written: the app starts under tresor run with the release env', async () => {
    const work = join(sb.dir, 'work')
    mkdirSync(work, { recursive: true })
    writeFileSync(join(work, 'server.js'), SERVER_JS)
    const runs = await runPage(sb, 'container-entrypoint.md', work)
    expect(runs).toHaveLength(1)
    const [container] = sb.engine.containers
    expect(container?.argv).toEqual(['tresor', 'run', '--', 'node', 'server.js'])
    // The container was given only where Tresor is, the token and the target...
    const given = (container?.env ?? []).map((e) => e.slice(0, e.indexOf('=')))
    expect(given.filter((k) => k.startsWith('TRESOR_')).sort()).toEqual([
      'TRESOR_ENV',
      'TRESOR_PROJECT',
      'TRESOR_TOKEN',
      'TRESOR_URL',
    ])
    expect(container?.env.join('\n')).not.toContain('sk_live_canary')
    // ...and the app, started by tresor run, got every variable of the release exactly; its
    // output came back through the docker CLI's attach stream.
    const out = runs[0]?.stdout ?? ''
    expect(out).toContain('Successfully tagged myapp\n') // docker build's own output first
    const appEnv = JSON.parse(out.slice(out.lastIndexOf('\n') + 1)) as Record<string, string>
    for (const [key, value] of sb.released) expect(appEnv[key], key).toBe(value)
    expect(container?.exitCode).toBe(0)
  })
})
