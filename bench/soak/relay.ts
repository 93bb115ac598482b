// A TCP relay on 127.0.0.1 between Tresor and PostgreSQL, to play a database outage (a restart,
// a network cut) without touching the shared PostgreSQL: `cut` drops every connection and
// refuses new ones, `restore` listens again on the same port.
import net from 'node:net'

export interface Relay {
  port: number
  /** `url` with its host and port replaced by the relay's. */
  urlFor(url: string): string
  cut(): Promise<void>
  restore(): Promise<void>
  close(): Promise<void>
}

/** Starts a relay to `target` (a postgres:// URL's host and port). */
export async function startRelay(target: string): Promise<Relay> {
  const { hostname, port: targetPort } = new URL(target)
  const sockets = new Set<net.Socket>()
  const server = net.createServer((client) => {
    const upstream = net.connect(Number(targetPort || 5432), hostname)
    for (const s of [client, upstream]) {
      sockets.add(s)
      s.on('error', () => s.destroy())
      s.on('close', () => sockets.delete(s))
    }
    client.on('close', () => upstream.destroy())
    upstream.on('close', () => client.destroy())
    client.pipe(upstream).pipe(client)
  })
  const listen = (p: number) =>
    new Promise<number>((resolve, reject) => {
      server.once('error', reject)
      server.listen(p, '127.0.0.1', () => resolve((server.address() as net.AddressInfo).port))
    })
  const closeServer = () =>
    new Promise<void>((resolve) => (server.listening ? server.close(() => resolve()) : resolve()))
  const port = await listen(0)
  return {
    port,
    urlFor(url) {
      const u = new URL(url)
      u.host = `127.0.0.1:${port}`
      return u.toString()
    },
    async cut() {
      const closed = closeServer()
      sockets.forEach((s) => s.destroy())
      await closed
    },
    restore: async () => void (await listen(port)),
    async close() {
      sockets.forEach((s) => s.destroy())
      await closeServer()
    },
  }
}
