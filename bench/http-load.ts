// The load generator of bench/http.bench.ts, run as a child process so that it never shares the
// server's event loop: `connections` keep-alive sockets, each sending GETs back to back.
import { Agent, request } from 'node:http'
import { performance } from 'node:perf_hooks'

/** What the bench asks a worker to do. */
export interface LoadOrder {
  url: string
  headers: Record<string, string>
  ms: number
  connections: number
}

/** What a worker reports: completed requests and the time they took. */
export interface LoadReport {
  requests: number
  seconds: number
  failures: number
}

function runLoad(order: LoadOrder): Promise<LoadReport> {
  const agent = new Agent({ keepAlive: true, maxSockets: order.connections })
  let requests = 0
  let failures = 0
  const once = () =>
    new Promise<void>((resolve) => {
      const req = request(order.url, { agent, headers: order.headers }, (res) => {
        res.resume()
        res.on('end', () => {
          if (res.statusCode === 200) requests++
          else failures++
          resolve()
        })
      })
      req.on('error', () => {
        failures++
        resolve()
      })
      req.end()
    })
  const start = performance.now()
  const end = start + order.ms
  const loop = async () => {
    while (performance.now() < end) await once()
  }
  return Promise.all(Array.from({ length: order.connections }, loop)).then(() => {
    agent.destroy()
    return { requests, failures, seconds: (performance.now() - start) / 1000 }
  })
}

// The parent sends one order and waits for one report.
process.once('message', (order: LoadOrder) => {
  void runLoad(order).then((report) => process.send?.(report))
})
