// A small JSON client over node:http with one keep-alive agent per server: the load generator
// must not pay a TCP handshake per request, and must tell a dead server (socket error) apart from
// an HTTP answer, which is what decides whether a client fails over.
import http from 'node:http'

export interface Reply {
  status: number
  body: unknown
  /** The revision from the `ETag` header (`"7"` → 7), when there is one. */
  revision: number | undefined
}

/** The request never got an HTTP answer (refused, reset, timed out): try another server. */
export class NetworkError extends Error {
  constructor(readonly code: string) {
    super(`network error ${code}`)
  }
}

export interface JsonClient {
  send(
    base: string,
    method: string,
    path: string,
    body?: unknown,
    headers?: Record<string, string>,
  ): Promise<Reply>
  close(): void
}

/** A client sending `Authorization: Bearer <token>` with keep-alive agents, 15 s per request. */
export function createJsonClient(token: string, maxSockets = 64): JsonClient {
  const agents = new Map<string, http.Agent>()
  const agentOf = (base: string) => {
    let agent = agents.get(base)
    if (agent === undefined) {
      agent = new http.Agent({ keepAlive: true, maxSockets })
      agents.set(base, agent)
    }
    return agent
  }
  return {
    send(base, method, path, body, headers = {}) {
      const payload = body === undefined ? undefined : JSON.stringify(body)
      return new Promise<Reply>((resolve, reject) => {
        const req = http.request(`${base}${path}`, {
          method,
          agent: agentOf(base),
          timeout: 15_000,
          headers: {
            authorization: `Bearer ${token}`,
            ...(payload === undefined
              ? {}
              : {
                  'content-type': 'application/json',
                  'content-length': Buffer.byteLength(payload),
                }),
            ...headers,
          },
        })
        req.on('timeout', () =>
          req.destroy(Object.assign(new Error('timeout'), { code: 'ETIMEDOUT' })),
        )
        req.on('error', (err: NodeJS.ErrnoException) =>
          reject(new NetworkError(err.code ?? err.message)),
        )
        req.on('response', (res) => {
          const chunks: Buffer[] = []
          res.on('data', (c: Buffer) => chunks.push(c))
          res.on('error', (err: NodeJS.ErrnoException) =>
            reject(new NetworkError(err.code ?? 'ERESPONSE')),
          )
          res.on('end', () => {
            const text = Buffer.concat(chunks).toString('utf8')
            const etag = /^(?:W\/)?"(\d+)"$/.exec(String(res.headers.etag ?? ''))
            let parsed: unknown = text
            try {
              parsed = text === '' ? undefined : JSON.parse(text)
            } catch {
              // Not JSON (a plain-text export): keep the text.
            }
            resolve({
              status: res.statusCode ?? 0,
              body: parsed,
              revision: etag ? Number(etag[1]) : undefined,
            })
          })
        })
        req.end(payload)
      })
    },
    close() {
      for (const agent of agents.values()) agent.destroy()
    },
  }
}
