import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import {
  cliFor,
  ensureBuilt,
  removeTempDirs,
  startServer,
  tempDir,
  type TestServer,
} from './helpers.ts'
import { api, FOLLOW_CHILD, linesOf, spawnTresor, waitFor } from './run-helpers.ts'

let server: TestServer
let cli: ReturnType<typeof cliFor>
let home: string
const E = '/v1/projects/app/environments/staging'

const child = FOLLOW_CHILD

beforeAll(async () => {
  ensureBuilt()
  server = await startServer()
  home = tempDir()
  cli = cliFor(server, home)
  await api(server.url, 'POST', '/v1/projects', { slug: 'app' })
  await api(server.url, 'PUT', `${E}/vars`, { key: 'COLOR', value: 'red' })
  await api(server.url, 'POST', `${E}/releases`)
})
afterAll(async () => {
  await server.stop()
  removeTempDirs()
})

async function release(color: string): Promise<number> {
  await api(server.url, 'PUT', `${E}/vars`, { key: 'COLOR', value: color })
  const started = Date.now()
  await api(server.url, 'POST', `${E}/releases`)
  return started
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0)
    return true
  } catch {
    return false
  }
}

describe('tresor run --follow', () => {
  it('restarts the child with the new environment within 2 s of each release', async () => {
    const file = join(tempDir(), 'starts')
    const args = ['run', '-p', 'app', '-e', 'staging', '--follow', '--', 'node', '-e', child, file]
    const p = spawnTresor(args, cli.env(), home)
    const [first] = await waitFor('the first child', () => {
      const lines = linesOf(file)
      return lines.length === 1 ? lines : undefined
    })
    const firstPid = Number(first?.split(' ')[0])
    expect(first).toBe(`${firstPid} red`)
    for (const color of ['green', 'blue']) {
      const released = await release(color)
      const line = await waitFor(`the ${color} child`, () =>
        linesOf(file).find((l) => l.endsWith(` ${color}`)),
      )
      expect(Date.now() - released).toBeLessThan(2000)
      expect(Number(line.split(' ')[0])).not.toBe(firstPid)
    }
    const lines = linesOf(file)
    expect(lines.map((l) => l.split(' ')[1])).toEqual([
      'red',
      'stopped',
      'green',
      'stopped',
      'blue',
    ])
    expect(isAlive(firstPid)).toBe(false)
    p.child.kill('SIGTERM')
    const out = await p.done
    expect(out.code).toBe(0)
    expect(linesOf(file).at(-1)).toMatch(/ stopped$/)
    expect(out.stderr).toBe(
      'tresor run: release 2 of app/staging: restarting node\n' +
        'tresor run: release 3 of app/staging: restarting node\n',
    )
  })

  it('kills a child that ignores SIGTERM once the grace period is over', async () => {
    const file = join(tempDir(), 'starts')
    const args = [
      ...['run', '-p', 'app', '-e', 'staging', '--follow', '--grace', '300ms', '-q'],
      ...['--', 'node', '-e', child, file, 'ignore'],
    ]
    const p = spawnTresor(args, cli.env(), home)
    const first = await waitFor('the first child', () => linesOf(file)[0])
    const released = await release('violet')
    await waitFor('the violet child', () => linesOf(file).find((l) => l.endsWith(' violet')))
    const took = Date.now() - released
    expect(took).toBeGreaterThanOrEqual(300)
    expect(took).toBeLessThan(2300)
    expect(isAlive(Number(first.split(' ')[0]))).toBe(false)
    p.child.kill('SIGINT')
    expect(await p.done).toMatchObject({ code: 130, stderr: '' })
  })
})
