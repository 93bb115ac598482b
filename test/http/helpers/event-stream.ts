// The event stream (`GET /v1/events`) over a real socket, read as text, for the SSE tests.
import { get, type IncomingMessage } from 'node:http'

export interface Stream {
  res: IncomingMessage
  /** Everything received so far. */
  text: () => string
  /** True once the server ended the response. */
  ended: () => boolean
  close: () => void
}

/** Opens `url` with a bearer token; resolves once the response headers arrived. */
export function open(url: string, token: string): Promise<Stream> {
  return new Promise((resolve, reject) => {
    const req = get(url, { headers: { authorization: `Bearer ${token}` } }, (res) => {
      let text = ''
      let ended = false
      res.setEncoding('utf8')
      res.on('data', (chunk: string) => (text += chunk))
      res.on('end', () => (ended = true))
      resolve({ res, text: () => text, ended: () => ended, close: () => req.destroy() })
    })
    req.on('error', reject)
  })
}

/** Waits until `check()` holds, polling every 10 ms; throws after `ms`. */
export async function until(check: () => boolean, ms = 3000): Promise<void> {
  const end = Date.now() + ms
  while (!check()) {
    if (Date.now() > end) throw new Error('timed out waiting for the event stream')
    await new Promise((r) => setTimeout(r, 10))
  }
}
