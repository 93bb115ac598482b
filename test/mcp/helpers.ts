// The real parts for the MCP tests: the built `tresor` binary running `server` on port 0 with a
// known owner token, and `tresor mcp` spawned by the SDK's own stdio client. Every tool result
// and every stderr byte of the MCP process is kept, so that a test can grep them for canaries.
import { execFileSync, spawn, type ChildProcess } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import { existsSync, mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { Client } from '@modelcontextprotocol/sdk/client/index.js'
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js'
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js'

export const root = new URL('../../', import.meta.url).pathname
export const bin = join(root, 'bin/tresor.js')

function newestSource(dir: string): number {
  return readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((e) => e.isFile() && e.name.endsWith('.ts'))
    .map((e) => statSync(join(e.parentPath, e.name)).mtimeMs)
    .reduce((a, b) => Math.max(a, b), 0)
}

/** Builds dist/ when a source is newer than the bundle (parallel files rarely race on it). */
export function buildIfStale(): void {
  const bundle = join(root, 'dist/cli.js')
  const built = existsSync(bundle) ? statSync(bundle).mtimeMs : 0
  if (newestSource(join(root, 'src')) > built)
    execFileSync('node', [join(root, 'scripts/build.mjs')], { cwd: root })
}

/** The process environment without any TRESOR_ setting of the machine running the tests. */
export function cleanEnv(extra: Record<string, string>): Record<string, string> {
  const out: Record<string, string> = {}
  for (const [k, v] of Object.entries(process.env))
    if (!k.startsWith('TRESOR_') && v !== undefined) out[k] = v
  return { ...out, ...extra }
}

export interface RealServer {
  url: string
  ownerToken: string
  dataDir: string
  stderr: () => string
  /** REST call with the owner token (or `token`); returns status and parsed body. */
  api<T = Record<string, unknown>>(
    method: string,
    path: string,
    body?: unknown,
    token?: string,
  ): Promise<{ status: number; body: T; headers: Headers }>
  stop(): Promise<void>
}

/** Starts `tresor server --port 0` on a temp data dir with TRESOR_BOOTSTRAP_TOKEN. */
export async function startServer(): Promise<RealServer> {
  const dataDir = mkdtempSync(join(tmpdir(), 'tresor-mcp-'))
  const ownerToken = `tresor_pat_boot_${randomBytes(16).toString('hex')}`
  const child: ChildProcess = spawn('node', [bin, 'server', '--port', '0', '--data-dir', dataDir], {
    env: cleanEnv({ TRESOR_BOOTSTRAP_TOKEN: ownerToken, TRESOR_LOG_LEVEL: 'info' }),
    stdio: 'pipe',
  })
  let err = ''
  child.stderr?.on('data', (d: Buffer) => (err += d.toString()))
  const url = await new Promise<string>((resolve, reject) => {
    let out = ''
    child.stdout?.on('data', (d: Buffer) => {
      out += d.toString()
      const m = /Tresor listening on (\S+)/.exec(out)
      if (m?.[1] !== undefined) resolve(m[1])
    })
    child.on('close', () => reject(new Error(`server exited: ${err}`)))
  })
  return {
    url,
    ownerToken,
    dataDir,
    stderr: () => err,
    async api(method, path, body, token) {
      const res = await fetch(`${url}${path}`, {
        method,
        headers: {
          authorization: `Bearer ${token ?? ownerToken}`,
          ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      })
      const text = await res.text()
      let parsed: unknown = text
      try {
        parsed = JSON.parse(text)
      } catch {
        parsed = text
      }
      return { status: res.status, body: parsed as never, headers: res.headers }
    },
    async stop() {
      const exited = new Promise((resolve) => child.once('close', resolve))
      child.kill('SIGTERM')
      await exited
      rmSync(dataDir, { recursive: true, force: true })
    },
  }
}

export interface McpSession {
  client: Client
  /** Every listTools/callTool answer as JSON text, in order. */
  transcript: string[]
  stderr: () => string
  /** Calls a tool; returns the result and its text content. */
  call(
    name: string,
    args?: Record<string, unknown>,
  ): Promise<{ result: CallToolResult; text: string }>
  /** The parsed JSON of a successful call (fails the test on a tool error). */
  json<T = Record<string, unknown>>(name: string, args?: Record<string, unknown>): Promise<T>
  close(): Promise<void>
}

/** Spawns `node bin/tresor.js mcp …args` through the SDK's StdioClientTransport and connects. */
export async function startMcp(
  env: Record<string, string>,
  args: string[] = [],
): Promise<McpSession> {
  const transport = new StdioClientTransport({
    command: 'node',
    args: [bin, 'mcp', ...args],
    env: cleanEnv(env),
    stderr: 'pipe',
    cwd: tmpdir(),
  })
  let err = ''
  transport.stderr?.on('data', (d: Buffer) => (err += d.toString()))
  const client = new Client({ name: 'tresor-test', version: '1.0.0' })
  await client.connect(transport)
  const transcript: string[] = []
  const session: McpSession = {
    client,
    transcript,
    stderr: () => err,
    async call(name, args = {}) {
      const result = (await client.callTool({ name, arguments: args })) as CallToolResult
      transcript.push(JSON.stringify(result))
      const text = result.content.map((c) => (c.type === 'text' ? c.text : '')).join('\n')
      return { result, text }
    },
    async json(name, args = {}) {
      const { result, text } = await session.call(name, args)
      if (result.isError === true) throw new Error(`${name} failed: ${text}`)
      return JSON.parse(text) as never
    },
    close: () => client.close(),
  }
  return session
}

/** The forms a leaked canary could take on the way out: whole, halves' ends, encodings. */
export function canaryForms(canary: string): string[] {
  return [
    canary,
    canary.slice(0, 8),
    canary.slice(-8),
    Buffer.from(canary).toString('base64'),
    Buffer.from(canary).toString('hex'),
    encodeURIComponent(canary),
    JSON.stringify(canary).slice(1, -1),
  ]
}

/** A unique high-entropy canary, as the security checklist describes. */
export function newCanary(n: number): string {
  return `CANARY_${randomBytes(4).toString('hex')}_${n}_${randomBytes(24).toString('base64url')}`
}
