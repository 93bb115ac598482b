// What the fake engine needs from a build context: the files of its tar, and the ENTRYPOINT,
// CMD and ENV of the Dockerfile (exec form as JSON, shell form as `/bin/sh -c`).

export interface ImageConfig {
  entrypoint?: string[]
  cmd?: string[]
  env: Record<string, string>
}

/** The regular files of an uncompressed tar (ustar), by path. */
export function readTar(tar: Buffer): Map<string, Buffer> {
  const files = new Map<string, Buffer>()
  let at = 0
  while (at + 512 <= tar.length) {
    const header = tar.subarray(at, at + 512)
    if (header.every((b) => b === 0)) break
    const text = (from: number, to: number) =>
      header.subarray(from, to).toString('utf8').replace(/\0.*$/s, '')
    const name = [text(345, 500), text(0, 100)].filter((s) => s !== '').join('/')
    const size = parseInt(text(124, 136).trim() || '0', 8)
    const type = text(156, 157)
    if (type === '0' || type === '') files.set(name, tar.subarray(at + 512, at + 512 + size))
    at += 512 + Math.ceil(size / 512) * 512
  }
  return files
}

function execOrShell(arg: string): string[] {
  const trimmed = arg.trim()
  if (trimmed.startsWith('[')) return JSON.parse(trimmed) as string[]
  return ['/bin/sh', '-c', trimmed]
}

/** ENTRYPOINT, CMD and `ENV KEY=value` of a Dockerfile (line continuations joined). */
export function dockerfileConfig(text: string): ImageConfig {
  const config: ImageConfig = { env: {} }
  for (const line of text.replace(/\\\n/g, ' ').split('\n')) {
    const m = /^\s*([A-Za-z]+)\s+(.*)$/.exec(line)
    if (!m?.[1] || m[2] === undefined) continue
    const instruction = m[1].toUpperCase()
    if (instruction === 'ENTRYPOINT') config.entrypoint = execOrShell(m[2])
    else if (instruction === 'CMD') config.cmd = execOrShell(m[2])
    else if (instruction === 'ENV') {
      for (const pair of m[2].trim().split(/\s+/)) {
        const eq = pair.indexOf('=')
        if (eq > 0) config.env[pair.slice(0, eq)] = pair.slice(eq + 1)
      }
    }
  }
  return config
}
