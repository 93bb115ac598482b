// A real HTTP receiver on 127.0.0.1 for webhook tests: it records every request (headers and
// raw body bytes) and answers as the test scripts it (a status per request, or never).
import { createServer, type IncomingHttpHeaders } from 'node:http'
import type { AddressInfo } from 'node:net'

export interface Received {
  method: string
  path: string
  headers: IncomingHttpHeaders
  body: string
}

/** What to answer to request number `n` (1-based): a status, a redirect, or no answer at all. */
export type Answer = number | { redirect: string } | 'hang'

export interface Receiver {
  url: string
  received: Received[]
  /** Requests per path (e.g. to see that a redirect target was never called). */
  hits(path: string): number
  close(): Promise<void>
}

/** Starts a receiver on 127.0.0.1 (any free port) answering `answer(n)`, 204 by default. */
export async function startReceiver(answer: (n: number) => Answer = () => 204): Promise<Receiver> {
  const received: Received[] = []
  const server = createServer((req, res) => {
    const chunks: Buffer[] = []
    req.on('data', (c: Buffer) => chunks.push(c))
    req.on('end', () => {
      received.push({
        method: req.method ?? '',
        path: req.url ?? '',
        headers: req.headers,
        body: Buffer.concat(chunks).toString('utf8'),
      })
      const a = answer(received.length)
      if (a === 'hang') return
      if (typeof a === 'object') {
        res.writeHead(302, { location: a.redirect }).end()
        return
      }
      // A body the worker must never copy into a delivery's error.
      res.writeHead(a, { 'content-type': 'text/plain' }).end(`receiver said ${a} BODY-CANARY`)
    })
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  return {
    url: `http://127.0.0.1:${port}`,
    received,
    hits: (path) => received.filter((r) => r.path === path).length,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections()
        server.close(() => resolve())
      }),
  }
}
