// `tresor run --follow` with a deploy-only token (what a server or a CI runner holds): the real
// binary against a real server follows the releases of its environment and restarts the child.
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import {
  cliFor,
  ensureBuilt,
  removeTempDirs,
  startServer,
  tempDir,
  type TestServer,
} from '../cli/helpers.ts'
import { api, FOLLOW_CHILD, linesOf, spawnTresor, waitFor } from '../cli/run-helpers.ts'

let server: TestServer
let cli: ReturnType<typeof cliFor>
let home: string
let deployToken: string
const E = '/v1/projects/web/environments/production'

const child = FOLLOW_CHILD

beforeAll(async () => {
  ensureBuilt()
  server = await startServer()
  home = tempDir()
  cli = cliFor(server, home)
  await api(server.url, 'POST', '/v1/projects', { slug: 'web' })
  await api(server.url, 'PUT', `${E}/vars`, { key: 'COLOR', value: 'red' })
  await api(server.url, 'POST', `${E}/releases`)
  deployToken = (
    await api<{ token: string }>(server.url, 'POST', '/v1/tokens', {
      name: 'runner',
      scopes: ['deploy'],
      project: 'web',
      environments: ['production'],
    })
  ).token
})
afterAll(async () => {
  await server.stop()
  removeTempDirs()
})

describe('tresor run --follow with a deploy-only token', () => {
  it('restarts the child on each new release; variable writes alone do not', async () => {
    const env = cli.env({ TRESOR_TOKEN: deployToken })
    // The token cannot read the variables: it only deploys.
    const denied = await cli.tresor(['config', '-p', 'web', '-e', 'production'], {
      env: { TRESOR_TOKEN: deployToken },
    })
    expect(denied.code).not.toBe(0)
    const file = join(tempDir(), 'starts')
    const args = [
      'run',
      '-p',
      'web',
      '-e',
      'production',
      '--follow',
      '--',
      'node',
      '-e',
      child,
      file,
    ]
    const p = spawnTresor(args, env, home)
    const first = await waitFor('the first child', () => linesOf(file)[0])
    expect(first).toMatch(/^\d+ red$/)
    // A write without a release changes nothing for the running app.
    await api(server.url, 'PUT', `${E}/vars`, { key: 'COLOR', value: 'green' })
    await new Promise((r) => setTimeout(r, 500))
    expect(linesOf(file)).toEqual([first])
    // A release made with the deploy token itself restarts the child within 2 s.
    const released = Date.now()
    const deploy = await cli.tresor(['deploy', '-p', 'web', '-e', 'production', '-q'], {
      env: { TRESOR_TOKEN: deployToken },
    })
    expect([deploy.code, deploy.stdout]).toEqual([0, '2\n'])
    await waitFor('the green child', () => linesOf(file).find((l) => l.endsWith(' green')))
    expect(Date.now() - released).toBeLessThan(2000)
    p.child.kill('SIGTERM')
    const out = await p.done
    expect(out.code).toBe(0)
    expect(linesOf(file).map((l) => l.split(' ')[1])).toEqual([
      'red',
      'stopped',
      'green',
      'stopped',
    ])
    expect(out.stderr).toBe('tresor run: release 2 of web/production: restarting node\n')
  })
})
