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

function replyOf(res: http.IncomingMessage, chunks: Buffer[]): Reply {
  const text = Buffer.concat(chunks).toString('utf8')
  const etag = /^(?:W\/)?"(\d+)"$/.exec(String(res.headers.etag ?? ''))
  let parsed: unknown = text
  try {
    parsed = text === '' ? undefined : JSON.parse(text)
  } catch {
    // Not JSON (metrics, a plain-text export): keep the text.
  }
  return { status: res.statusCode ?? 0, body: parsed, revision: etag ? Number(etag[1]) : undefined }
}

function request(url: string, options: http.RequestOptions, payload?: string): Promise<Reply> {
  return new Promise<Reply>((resolve, reject) => {
    const req = http.request(url, { ...options, timeout: 15_000 })
    req.on('timeout', () => req.destroy(Object.assign(new Error('timeout'), { code: 'ETIMEDOUT' })))
    req.on('error', (err: NodeJS.ErrnoException) =>
      reject(new NetworkError(err.code ?? err.message)),
    )
    req.on('response', (res) => {
      const chunks: Buffer[] = []
      res.on('data', (c: Buffer) => chunks.push(c))
      res.on('error', (err: NodeJS.ErrnoException) => reject(new NetworkError(err.code ?? 'ERES')))
      res.on('end', () => resolve(replyOf(res, chunks)))
    })
    req.end(payload)
  })
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
      const type =
        payload === undefined
          ? {}
          : { 'content-type': 'application/json', 'content-length': Buffer.byteLength(payload) }
      const auth = { authorization: `Bearer ${token}` }
      const options = { method, agent: agentOf(base), headers: { ...auth, ...type, ...headers } }
      return request(`${base}${path}`, options, payload)
    },
    close() {
      for (const agent of agents.values()) agent.destroy()
    },
  }
}
