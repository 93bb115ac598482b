import { spawn, type ChildProcess } from 'node:child_process'
import { existsSync, readFileSync } from 'node:fs'
import { bin, OWNER_TOKEN } from './helpers.ts'

/** A call to the server's API with the owner token; throws on a non-2xx answer. */
export async function api<T = unknown>(
  url: string,
  method: string,
  path: string,
  body?: unknown,
): Promise<T> {
  const res = await fetch(`${url}${path}`, {
    method,
    headers: {
      authorization: `Bearer ${OWNER_TOKEN}`,
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
    },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  })
  const text = await res.text()
  if (!res.ok) throw new Error(`${method} ${path}: HTTP ${res.status} ${text}`)
  return (text === '' ? undefined : JSON.parse(text)) as T
}

export interface Spawned {
  child: ChildProcess
  /** Resolves when the process has exited and its output is complete. */
  done: Promise<{ code: number | null; signal: string | null; stdout: string; stderr: string }>
  /** Output so far. */
  out: () => { stdout: string; stderr: string }
}

/** Starts the built `tresor` with `args` (not waiting for it), output captured. */
export function spawnTresor(args: string[], env: Record<string, string>, cwd: string): Spawned {
  const child = spawn('node', [bin, ...args], { env, cwd, stdio: ['ignore', 'pipe', 'pipe'] })
  let stdout = ''
  let stderr = ''
  child.stdout?.on('data', (d: Buffer) => (stdout += d.toString()))
  child.stderr?.on('data', (d: Buffer) => (stderr += d.toString()))
  const done = new Promise<{
    code: number | null
    signal: string | null
    stdout: string
    stderr: string
  }>((resolve) => child.on('close', (code, signal) => resolve({ code, signal, stdout, stderr })))
  return { child, done, out: () => ({ stdout, stderr }) }
}

/** Polls `check` every 20 ms until it returns a value, or fails after `ms`. */
export async function waitFor<T>(
  what: string,
  check: () => T | undefined,
  ms = 10_000,
): Promise<T> {
  const deadline = Date.now() + ms
  for (;;) {
    const value = check()
    if (value !== undefined) return value
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`)
    await new Promise((r) => setTimeout(r, 20))
  }
}

/** The lines of a file, or [] while it does not exist. */
export function linesOf(file: string): string[] {
  if (!existsSync(file)) return []
  return readFileSync(file, 'utf8')
    .split('\n')
    .filter((l) => l !== '')
}

/** `env -0` output as a map (values may hold line breaks; NUL ends each entry). */
export function parseEnv0(text: string): Record<string, string> {
  const out: Record<string, string> = {}
  for (const entry of text.split('\0')) {
    if (entry === '') continue
    const eq = entry.indexOf('=')
    out[entry.slice(0, eq)] = entry.slice(eq + 1)
  }
  return out
}

/**
 * A child for `tresor run --follow` tests (`node -e FOLLOW_CHILD FILE [ignore]`): appends
 * "pid COLOR" to FILE when it starts; on SIGTERM appends "pid stopped" and exits 0, unless told
 * to ignore it (then only SIGKILL ends it).
 */
export const FOLLOW_CHILD = `const fs = require('fs'); const [file, ignore] = process.argv.slice(1)
fs.appendFileSync(file, process.pid + ' ' + process.env.COLOR + '\\n')
process.on('SIGTERM', () => { if (ignore === 'ignore') return; fs.appendFileSync(file, process.pid + ' stopped\\n'); process.exit(0) })
setInterval(() => {}, 1000)`
