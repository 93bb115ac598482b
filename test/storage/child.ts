import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process'
import { once } from 'node:events'
import { fileURLToPath } from 'node:url'

/** Starts `node --import tsx test/storage/fixtures/<name>.ts ...args`. */
export function startFixture(name: string, args: string[]): ChildProcessWithoutNullStreams {
  const script = fileURLToPath(new URL(`./fixtures/${name}.ts`, import.meta.url))
  return spawn(process.execPath, ['--import', 'tsx', script, ...args], {
    stdio: ['pipe', 'pipe', 'pipe'],
  })
}

/**
 * Starts `count` copies of a fixture that prints "ready" then waits for stdin, releases them
 * together once all are ready, and resolves with each one's remaining stdout.
 */
export async function raceFixtures(name: string, args: string[], count: number): Promise<string[]> {
  const children = Array.from({ length: count }, () => startFixture(name, args))
  const outputs = children.map((child) => {
    let out = ''
    let err = ''
    child.stdout.on('data', (d: Buffer) => (out += d.toString()))
    child.stderr.on('data', (d: Buffer) => (err += d.toString()))
    const ready = new Promise<void>((resolve) => {
      const check = () => (out.startsWith('ready\n') ? resolve() : undefined)
      child.stdout.on('data', check)
    })
    const done = once(child, 'close').then(([code]) => {
      if (code !== 0) throw new Error(`${name} exited with ${String(code)}: ${err}`)
      return out.slice('ready\n'.length)
    })
    return { ready, done }
  })
  await Promise.all(outputs.map((o) => o.ready))
  for (const child of children) child.stdin.write('go\n')
  return Promise.all(outputs.map((o) => o.done))
}
