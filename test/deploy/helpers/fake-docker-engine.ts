// A fake Docker Engine on a unix socket, for the REAL docker CLI (DOCKER_HOST=unix://…): there
// is no engine on this machine, but the CLI that parses `--env-file`, `-e` and the Dockerfile
// context is real. It records every container the CLI creates, and for images it built from a
// Dockerfile it runs ENTRYPOINT + CMD as a host process with exactly the container's env.
import { spawn, type ChildProcess } from 'node:child_process'
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http'
import type { Socket } from 'node:net'
import { join } from 'node:path'
import { dockerfileConfig, readTar, type ImageConfig } from './dockerfile.ts'

export interface Container {
  id: string
  name: string
  image: string
  env: string[]
  argv: string[]
  output: string
  exitCode?: number
}

interface Running extends Container {
  attach?: Socket
  process?: ChildProcess
  waiters: Array<(code: number) => void>
}

export interface EngineOptions {
  dir: string
  /** Where a container's process runs (its WORKDIR) and the env every image starts from. */
  workdir: string
  baseEnv: Record<string, string>
}

/** Starts the engine; `socket` goes into DOCKER_HOST. */
export async function startFakeEngine(opts: EngineOptions) {
  const socket = join(opts.dir, 'docker.sock')
  const images = new Map<string, ImageConfig>()
  const containers: Running[] = []
  const sockets = new Set<Socket>()
  const server = createServer((req, res) => {
    const chunks: Buffer[] = []
    req.on('data', (b: Buffer) => chunks.push(b))
    req.on('end', () => route(req, res, Buffer.concat(chunks)))
  })
  server.on('connection', (s: Socket) => {
    sockets.add(s)
    s.on('close', () => sockets.delete(s))
  })
  server.on('upgrade', (req: IncomingMessage, s: Socket) => {
    const c = byId(path(req).split('/')[2] ?? '')
    s.write('HTTP/1.1 101 UPGRADED\r\nContent-Type: application/vnd.docker.multiplexed-stream\r\n')
    s.write('Connection: Upgrade\r\nUpgrade: tcp\r\n\r\n')
    if (c === undefined) s.end()
    else c.attach = s
  })

  const path = (req: IncomingMessage) =>
    new URL(req.url ?? '/', 'http://engine').pathname.replace(/^\/v[\d.]+/, '')
  const byId = (id: string) => containers.find((c) => c.id === id || c.name === id)
  const json = (res: ServerResponse, status: number, body: unknown) => {
    res.writeHead(status, { 'Content-Type': 'application/json' })
    res.end(JSON.stringify(body))
  }

  function route(req: IncomingMessage, res: ServerResponse, body: Buffer): void {
    const url = new URL(req.url ?? '/', 'http://engine')
    const p = path(req)
    if (p === '/_ping') {
      res.writeHead(200, { 'Api-Version': '1.47', 'Content-Type': 'text/plain' })
      res.end(req.method === 'HEAD' ? undefined : 'OK')
    } else if (p === '/build' && req.method === 'POST') build(url, body, res)
    else if (p === '/containers/create') create(url, body, res)
    else if (/^\/containers\/[^/]+\/start$/.test(p)) start(p.split('/')[2] ?? '', res)
    else if (/^\/containers\/[^/]+\/wait$/.test(p)) wait(p.split('/')[2] ?? '', res)
    else json(res, 404, { message: `fake engine: ${req.method ?? ''} ${p} is not implemented` })
  }

  function build(url: URL, body: Buffer, res: ServerResponse): void {
    const files = readTar(body)
    const dockerfile = files.get(url.searchParams.get('dockerfile') ?? 'Dockerfile')
    if (dockerfile === undefined) return json(res, 400, { message: 'no Dockerfile in the context' })
    const tag = url.searchParams.get('t') ?? 'unnamed'
    images.set(tag.includes(':') ? tag : `${tag}:latest`, dockerfileConfig(dockerfile.toString()))
    res.writeHead(200, { 'Content-Type': 'application/json' })
    res.end(
      `{"stream":"Successfully built 0123456789ab\\n"}\n{"stream":"Successfully tagged ${tag}\\n"}\n`,
    )
  }

  function create(url: URL, body: Buffer, res: ServerResponse): void {
    const spec = JSON.parse(body.toString()) as {
      Image: string
      Env?: string[] | null
      Cmd?: string[] | null
      Entrypoint?: string[] | null
    }
    const image = images.get(spec.Image.includes(':') ? spec.Image : `${spec.Image}:latest`)
    const entrypoint = spec.Entrypoint ?? image?.entrypoint ?? []
    const cmd = spec.Cmd ?? image?.cmd ?? []
    const id = `c${containers.length}${'0'.repeat(10)}`
    const env = [
      ...Object.entries({ ...opts.baseEnv, ...image?.env }).map(([k, v]) => `${k}=${v}`),
      ...(spec.Env ?? []),
    ]
    containers.push({
      id,
      name: url.searchParams.get('name') ?? id,
      image: spec.Image,
      env: image === undefined ? (spec.Env ?? []) : env,
      argv: image === undefined ? [] : [...entrypoint, ...cmd],
      output: '',
      waiters: [],
    })
    json(res, 201, { Id: id, Warnings: [] })
  }

  function start(id: string, res: ServerResponse): void {
    const c = byId(id)
    if (c === undefined) return json(res, 404, { message: 'no such container' })
    res.writeHead(204).end()
    const [file, ...args] = c.argv
    if (file === undefined) return // an image this engine did not build: it "runs" forever
    const env = Object.fromEntries(
      c.env.map((e) => [e.slice(0, e.indexOf('=')), e.slice(e.indexOf('=') + 1)]),
    )
    const child = spawn(file, args, { env, cwd: opts.workdir, stdio: ['ignore', 'pipe', 'pipe'] })
    c.process = child
    const frame = (stream: number) => (b: Buffer) => {
      c.output += b.toString()
      const head = Buffer.from([stream, 0, 0, 0, 0, 0, 0, 0])
      head.writeUInt32BE(b.length, 4)
      c.attach?.write(Buffer.concat([head, b]))
    }
    child.stdout.on('data', frame(1))
    child.stderr.on('data', frame(2))
    child.on('error', () => finish(c, 127))
    child.on('close', (code) => finish(c, code ?? 128))
  }

  function finish(c: Running, code: number): void {
    c.exitCode = code
    c.attach?.end()
    for (const w of c.waiters.splice(0)) w(code)
  }

  // Like dockerd: the headers go out at once (the CLI starts the container only after that),
  // the status when the process exits.
  function wait(id: string, res: ServerResponse): void {
    const c = byId(id)
    if (c === undefined) return json(res, 404, { message: 'no such container' })
    res.writeHead(200, { 'Content-Type': 'application/json' })
    res.flushHeaders()
    const reply = (code: number) => res.end(JSON.stringify({ StatusCode: code }))
    if (c.exitCode !== undefined) reply(c.exitCode)
    else c.waiters.push(reply)
  }

  await new Promise<void>((resolve) => server.listen(socket, resolve))
  return {
    host: `unix://${socket}`,
    containers: containers as readonly Container[],
    stop: async () => {
      for (const c of containers) c.process?.kill('SIGKILL')
      for (const s of sockets) s.destroy()
      await new Promise<void>((resolve) => server.close(() => resolve()))
    },
  }
}

export type FakeEngine = Awaited<ReturnType<typeof startFakeEngine>>
