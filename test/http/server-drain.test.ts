// Shutdown of the listening server: a request in flight when `close` begins still gets its answer,
// and a client that never finishes its request cannot hold shutdown open past the drain deadline.
import { randomBytes } from 'node:crypto'
import { mkdtempSync, rmSync } from 'node:fs'
import { connect, type Socket } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { testServerConfig } from '../helpers/server-config.ts'
import { startServer, type RunningServer } from '../../src/main/server.ts'

const dirs: string[] = []
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true })
})

async function start(drainTimeoutMs: number): Promise<{ running: RunningServer; token: string }> {
  const dataDir = mkdtempSync(join(tmpdir(), 'tresor-drain-'))
  dirs.push(dataDir)
  const token = `tresor_pat_owner_${randomBytes(16).toString('hex')}`
  const running = await startServer(
    testServerConfig(dataDir, token),
    { stdout: () => {}, stderr: () => {} },
    { drainTimeoutMs },
  )
  return { running, token }
}

async function open(url: string): Promise<{ socket: Socket; received: () => string }> {
  const socket = connect(Number(new URL(url).port), '127.0.0.1')
  let text = ''
  socket.on('data', (d: Buffer) => (text += d.toString('latin1')))
  socket.on('error', () => {})
  await new Promise((resolve) => socket.once('connect', resolve))
  return { socket, received: () => text }
}

const closedSocket = (socket: Socket) =>
  new Promise<void>((resolve) => (socket.destroyed ? resolve() : socket.once('close', resolve)))

describe('server shutdown', () => {
  it('cuts off a client whose request headers never end, once the drain deadline passes', async () => {
    const { running } = await start(300)
    const { socket, received } = await open(running.url)
    socket.write('GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n')
    await new Promise((resolve) => setTimeout(resolve, 50))
    const began = Date.now()
    await running.close()
    const took = Date.now() - began
    expect(took).toBeGreaterThanOrEqual(250)
    expect(took).toBeLessThan(5_000)
    await closedSocket(socket)
    expect(received()).toBe('')
  })

  it('lets a request that began before close finish, and answers it with Connection: close', async () => {
    const { running, token } = await start(5_000)
    await fetch(`${running.url}/v1/projects`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ slug: 'shop' }),
    })
    const { socket, received } = await open(running.url)
    const body = JSON.stringify({ key: 'GREETING', value: 'hello', kind: 'config' })
    socket.write(
      'PUT /v1/projects/shop/environments/staging/vars HTTP/1.1\r\nHost: 127.0.0.1\r\n' +
        `Authorization: Bearer ${token}\r\nContent-Type: application/json\r\n` +
        `Content-Length: ${body.length}\r\n\r\n${body.slice(0, 10)}`,
    )
    await new Promise((resolve) => setTimeout(resolve, 100))
    const closing = running.close()
    await new Promise((resolve) => setTimeout(resolve, 100))
    socket.write(body.slice(10))
    await closing
    await closedSocket(socket)
    const [head = '', json = ''] = received().split('\r\n\r\n')
    expect(head).toMatch(/^HTTP\/1\.1 200 /)
    expect(head.toLowerCase()).toContain('connection: close')
    expect(JSON.parse(json)).toMatchObject({ key: 'GREETING', kind: 'config' })
  })
})
