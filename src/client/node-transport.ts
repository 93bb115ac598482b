import http from 'node:http'
import { toTransportError, TransportError, type Transport } from './transport.ts'

/**
 * A Transport over `node:http`/`node:https`. Node's `fetch` loads undici on first use, which
 * costs a short-lived CLI more than the request itself; this one loads nothing new.
 */
export function nodeTransport(opts: { agent?: http.Agent | false } = {}): Transport {
  return async (req) => {
    const url = new URL(req.url)
    const lib = url.protocol === 'https:' ? await import('node:https') : http
    return new Promise((resolve, reject) => {
      // An explicit length: without it node:http sends a DELETE body neither chunked nor
      // sized, and the server reads it as a malformed next request.
      const length =
        req.body === undefined ? {} : { 'content-length': String(Buffer.byteLength(req.body)) }
      const request = lib.request(
        url,
        {
          method: req.method,
          headers: { ...req.headers, ...length },
          ...(opts.agent === undefined ? {} : { agent: opts.agent }),
        },
        (res) => {
          const chunks: Buffer[] = []
          res.on('data', (chunk: Buffer) => chunks.push(chunk))
          res.on('error', (err) => reject(toTransportError(err)))
          res.on('end', () => {
            const headers = res.headers
            resolve({
              status: res.statusCode ?? 0,
              header: (name) => {
                const v = headers[name.toLowerCase()]
                return Array.isArray(v) ? v.join(', ') : v
              },
              body: Buffer.concat(chunks).toString('utf8'),
            })
          })
        },
      )
      request.setTimeout(req.timeoutMs, () => {
        request.destroy(new TransportError('timeout', 'no answer in time'))
      })
      request.on('error', (err) => reject(toTransportError(err)))
      request.end(req.body)
    })
  }
}
