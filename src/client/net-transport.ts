import { connect } from 'node:net'
import {
  toTransportError,
  TransportError,
  type Transport,
  type TransportRequest,
  type TransportResponse,
} from './transport.ts'

/**
 * The CLI's Transport: one HTTP/1.1 exchange per connection (`connection: close`) written on a
 * node:net socket for `http://` URLs, and node:https for `https://` ones. A short-lived process
 * spends more on node:http's first request (its agent, parser and client objects, all cold) than
 * on the request itself; this reads the few response forms a server sends: a `content-length`
 * body, a chunked one, or one that ends when the connection closes.
 */
export function netTransport(): Transport {
  let https: Transport | undefined
  return async (req) => {
    if (req.url.startsWith('http:')) return exchange(req)
    https ??= (await import('./node-transport.ts')).nodeTransport()
    return https(req)
  }
}

// What node:http accepts in a header: a value with CR or LF would split the request.
const HEADER_VALUE = /^[\t\x20-\x7e\x80-\xff]*$/
const HEADER_NAME = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/
/** A response head larger than this is not from a Tresor server. */
const MAX_HEAD = 64 * 1024

function requestBytes(url: URL, req: TransportRequest): Buffer {
  const lines = [`${req.method} ${url.pathname}${url.search} HTTP/1.1`, `host: ${url.host}`]
  const headers: Record<string, string> = { ...req.headers, connection: 'close' }
  const body = req.body === undefined ? undefined : Buffer.from(req.body, 'utf8')
  // An explicit length, also for an empty body: the server must not wait for more.
  if (body !== undefined) headers['content-length'] = String(body.length)
  for (const [name, value] of Object.entries(headers)) {
    if (!HEADER_NAME.test(name) || !HEADER_VALUE.test(value))
      throw new TransportError('other', `invalid character in the ${name} header`)
    lines.push(`${name}: ${value}`)
  }
  // One write: a second small segment could wait for the first one's delayed ACK.
  const head = Buffer.from(`${lines.join('\r\n')}\r\n\r\n`, 'latin1')
  return body === undefined ? head : Buffer.concat([head, body])
}

function exchange(req: TransportRequest): Promise<TransportResponse> {
  return new Promise((resolve, reject) => {
    const url = new URL(req.url)
    const bytes = requestBytes(url, req)
    const socket = connect({
      host: url.hostname.replace(/^\[(.*)\]$/, '$1'),
      port: url.port === '' ? 80 : Number(url.port),
    })
    let received: Buffer = Buffer.alloc(0)
    let done = false
    const finish = (eof: boolean) => {
      let res: TransportResponse | undefined
      try {
        res = parseResponse(received, eof)
      } catch (err) {
        settle(err)
        return
      }
      if (res !== undefined) settle(undefined, res)
    }
    const settle = (err: unknown, res?: TransportResponse) => {
      if (done) return
      done = true
      socket.destroy()
      if (res !== undefined) resolve(res)
      else reject(toTransportError(err))
    }
    socket.setTimeout(req.timeoutMs, () =>
      settle(new TransportError('timeout', 'no answer in time')),
    )
    socket.on('error', (err) => settle(err))
    socket.on('data', (chunk: Buffer) => {
      received = received.length === 0 ? chunk : Buffer.concat([received, chunk])
      finish(false)
    })
    socket.on('end', () => finish(true))
    socket.on('close', () => settle(new TransportError('reset', 'the connection was closed')))
    socket.write(bytes)
  })
}

const broken = () => new TransportError('other', 'the answer is not a valid HTTP response')
const cut = () => new TransportError('reset', 'the connection was closed')

/**
 * The response in `buf`; undefined while more is to come. `eof`: the server closed the
 * connection, so what is there is all there will be.
 */
export function parseResponse(buf: Buffer, eof: boolean): TransportResponse | undefined {
  const headEnd = buf.indexOf('\r\n\r\n')
  if (headEnd < 0) {
    if (eof && buf.length === 0) throw cut()
    if (eof || buf.length > MAX_HEAD) throw broken()
    return undefined
  }
  const [statusLine = '', ...lines] = buf.toString('latin1', 0, headEnd).split('\r\n')
  const m = /^HTTP\/1\.[01] ([1-5]\d\d)(?: .*)?$/.exec(statusLine)
  if (!m) throw broken()
  const status = Number(m[1])
  // An interim answer (100 Continue) comes before the real one.
  if (status < 200) return parseResponse(buf.subarray(headEnd + 4), eof)
  const headers = new Map<string, string>()
  for (const line of lines) {
    const colon = line.indexOf(':')
    if (colon <= 0) throw broken()
    const name = line.slice(0, colon).trim().toLowerCase()
    const value = line.slice(colon + 1).trim()
    const before = headers.get(name)
    headers.set(name, before === undefined ? value : `${before}, ${value}`)
  }
  const body = bodyOf(buf.subarray(headEnd + 4), headers, status, eof)
  if (body === undefined) return undefined
  return {
    status,
    header: (name) => headers.get(name.toLowerCase()),
    body: body.toString('utf8'),
  }
}

function bodyOf(
  rest: Buffer,
  headers: ReadonlyMap<string, string>,
  status: number,
  eof: boolean,
): Buffer | undefined {
  const encoding = headers.get('transfer-encoding')
  const length = headers.get('content-length')
  let body: Buffer | undefined
  if (encoding !== undefined) {
    if (!/^chunked$/i.test(encoding)) throw broken()
    body = dechunk(rest)
  } else if (length !== undefined) {
    if (!/^\d{1,15}$/.test(length)) throw broken()
    const n = Number(length)
    body = rest.length >= n ? rest.subarray(0, n) : undefined
  } else if (status === 204 || status === 304) body = Buffer.alloc(0)
  else if (eof) body = rest
  if (body === undefined && eof) throw cut()
  return body
}

/** The body of a chunked encoding; undefined until its last chunk (and trailers) arrived. */
function dechunk(buf: Buffer): Buffer | undefined {
  const parts: Buffer[] = []
  let pos = 0
  for (;;) {
    const eol = buf.indexOf('\r\n', pos)
    if (eol < 0) return undefined
    const sizeText = (buf.toString('latin1', pos, eol).split(';')[0] ?? '').trim()
    if (!/^[0-9a-fA-F]{1,12}$/.test(sizeText)) throw broken()
    const size = parseInt(sizeText, 16)
    const start = eol + 2
    if (size === 0) {
      // Then optional trailer lines, and an empty line.
      if (buf.length < start + 2) return undefined
      if (buf[start] === 13 && buf[start + 1] === 10) return Buffer.concat(parts)
      return buf.indexOf('\r\n\r\n', start) < 0 ? undefined : Buffer.concat(parts)
    }
    if (buf.length < start + size + 2) return undefined
    if (buf[start + size] !== 13 || buf[start + size + 1] !== 10) throw broken()
    parts.push(buf.subarray(start, start + size))
    pos = start + size + 2
  }
}
