import { spawn } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

/**
 * Runs `fn` against a real `tresor server` (the built binary `bin`, port 0, a temp data dir,
 * `token` as the owner's bootstrap token), then stops it and removes the data dir.
 */
export async function withServer<T>(
  bin: string,
  token: string,
  fn: (url: string) => Promise<T>,
): Promise<T> {
  const dataDir = mkdtempSync(join(tmpdir(), 'tresor-bench-'))
  const child = spawn('node', [bin, 'server', '--port', '0', '--data-dir', dataDir], {
    env: { ...process.env, TRESOR_BOOTSTRAP_TOKEN: token, TRESOR_LOG_LEVEL: 'warn' },
    stdio: ['ignore', 'pipe', 'ignore'],
  })
  try {
    const url = await new Promise<string>((resolve, reject) => {
      let out = ''
      child.stdout.on('data', (d: Buffer) => {
        out += d.toString()
        const m = /listening on (\S+)\n/.exec(out)
        if (m?.[1]) resolve(m[1])
      })
      child.on('close', () => reject(new Error('server exited')))
    })
    return await fn(url)
  } finally {
    child.kill('SIGTERM')
    rmSync(dataDir, { recursive: true, force: true })
  }
}
