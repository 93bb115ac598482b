import { createServer, type Socket } from 'node:net'
import type { AddressInfo } from 'node:net'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { netTransport, parseResponse } from './net-transport.ts'

// A raw TCP peer that answers each request with canned bytes, so that the forms of a response
// node:http would never produce on its own (chunks split anywhere, interim answers, no length)
// reach the parser exactly as written.
let answers: Buffer[][] = []
let requests: string[] = []
let url: string
const server = createServer((socket: Socket) => {
  let got = ''
  socket.on('data', (d: Buffer) => {
    got += d.toString('latin1')
    if (!got.includes('\r\n\r\n')) return
    requests.push(got)
    const parts = answers.shift() ?? []
    // Each part a separate write, a few milliseconds apart: separate reads on the other side.
    const send = (i: number) => {
      if (i === parts.length) return void socket.end()
      socket.write(parts[i] ?? Buffer.alloc(0))
      setTimeout(() => send(i + 1), 5)
    }
    send(0)
  })
})
beforeAll(async () => {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
})
afterAll(() => server.close())

const b = (s: string) => Buffer.from(s, 'latin1')
const get = (path = '/x') =>
  netTransport()({
    method: 'GET',
    url: `${url}${path}`,
    headers: { accept: 'a/b' },
    timeoutMs: 2000,
  })

describe('netTransport', () => {
  it('sends one request with host, length and connection: close, and reads a sized body in pieces', async () => {
    requests = []
    answers = [
      [b('HTTP/1.1 200 OK\r\nContent-Le'), b('ngth: 5\r\nX-A: 1\r\nx-a: 2\r\n\r\nhe'), b('llo')],
    ]
    const res = await netTransport()({
      method: 'POST',
      url: `${url}/v1/a%20b?q=1`,
      headers: { 'content-type': 'application/json' },
      body: '{"k":"é"}',
      timeoutMs: 2000,
    })
    expect([res.status, res.body, res.header('X-A')]).toEqual([200, 'hello', '1, 2'])
    expect(requests[0]).toBe(
      `POST /v1/a%20b?q=1 HTTP/1.1\r\nhost: ${url.slice(7)}\r\ncontent-type: application/json\r\nconnection: close\r\ncontent-length: 10\r\n\r\n{"k":"é"}`.replace(
        'é',
        '\u00c3\u00a9',
      ),
    )
  })

  it('reads a chunked body split at every boundary, after an interim 100 answer', async () => {
    answers = [
      [
        b(
          'HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 404 Not Found\r\ntransfer-encoding: chunked\r\n\r\n4\r',
        ),
        b('\nabcd\r\n3;ext=1\r\nef'),
        b('g\r\n0\r\n'),
        b('\r\n'),
      ],
    ]
    const res = await get()
    expect([res.status, res.body]).toEqual([404, 'abcdefg'])
  })

  it('reads a body without a length up to the end of the connection', async () => {
    answers = [[b('HTTP/1.0 200 OK\r\n\r\npart one, '), b('part two')]]
    expect((await get()).body).toBe('part one, part two')
  })

  it('rejects a cut-off answer, a garbled one and a header with a line break', async () => {
    answers = [
      [b('HTTP/1.1 200 OK\r\ncontent-length: 10\r\n\r\nshort')],
      [b('SSH-2.0-OpenSSH\r\n\r\n')],
    ]
    await expect(get()).rejects.toMatchObject({ reason: 'reset' })
    await expect(get()).rejects.toMatchObject({ reason: 'other' })
    await expect(
      netTransport()({ method: 'GET', url, headers: { a: 'x\r\ny: z' }, timeoutMs: 500 }),
    ).rejects.toThrow('invalid character in the a header')
  })
})

describe('parseResponse', () => {
  it('waits for more until the response is complete', () => {
    const full = 'HTTP/1.1 200 OK\r\ncontent-length: 3\r\n\r\nabc'
    for (let i = 0; i < full.length; i++)
      expect(parseResponse(b(full.slice(0, i)), false)).toBe(undefined)
    expect(parseResponse(b(full), false)?.body).toBe('abc')
    expect(parseResponse(b('HTTP/1.1 204 No Content\r\n\r\n'), false)?.body).toBe('')
  })
})
