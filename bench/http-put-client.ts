// The client of bench/http.bench.ts's PUT over HTTP, run as a child process so that it never
// shares the server's event loop: PUTs of one variable sent one after another on one keep-alive
// connection, one block per message, each one's latency as this client saw it.
import { randomBytes } from 'node:crypto'
import { Agent, request } from 'node:http'
import { performance } from 'node:perf_hooks'

/** Where the PUTs go; sent once before the first block. */
export interface PutTarget {
  url: string
  headers: Record<string, string>
}

const agent = new Agent({ keepAlive: true, maxSockets: 1 })
let target: PutTarget | undefined

function put(to: PutTarget): Promise<number> {
  const body = JSON.stringify({
    key: 'BENCH_PUT',
    value: randomBytes(16).toString('hex'),
    kind: 'secret',
  })
  const headers = {
    ...to.headers,
    'content-type': 'application/json',
    'content-length': String(Buffer.byteLength(body)),
  }
  return new Promise((resolve, reject) => {
    const start = performance.now()
    const req = request(to.url, { method: 'PUT', agent, headers }, (res) => {
      res.resume()
      res.on('end', () => {
        if (res.statusCode === 200) resolve(performance.now() - start)
        else reject(new Error(`PUT answered ${String(res.statusCode)}`))
      })
    })
    // Headers and body in one segment, sent at once.
    req.on('socket', (socket) => socket.setNoDelay(true))
    req.on('error', reject)
    req.end(body)
  })
}

// The parent sends the target, then { n } per block; each block is answered with its latencies.
process.on('message', (message: { target?: PutTarget; n?: number }) => {
  if (message.target !== undefined) {
    target = message.target
    process.send?.({ ready: true })
    return
  }
  const to = target
  if (to === undefined) throw new Error('no target yet')
  void (async () => {
    const times: number[] = []
    for (let i = 0; i < (message.n ?? 0); i++) times.push(await put(to))
    process.send?.({ times })
  })()
})
