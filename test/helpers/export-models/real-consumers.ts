// Runs exported text through real consumers on this machine: POSIX shells and systemd 252's
// environment.d generator (the same parse_env_file_internal as EnvironmentFile=, research §1.8).
import { spawnSync } from 'node:child_process'
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

export const SYSTEMD_GENERATOR =
  '/usr/lib/systemd/user-environment-generators/30-systemd-environment-d-generator'

/** A `$` stand-in: the generator expands `$`, which EnvironmentFile= does not. */
export const DOLLAR_STAND_IN = '\ue000'

function withTempDir<T>(fn: (dir: string) => T): T {
  const dir = mkdtempSync(join(tmpdir(), 'tresor-export-'))
  try {
    return fn(dir)
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
}

/** Sources `text` in `shell` with an empty environment and returns `env -0` as raw bytes. */
export function sourceInShell(shell: 'bash' | 'dash', text: string): Map<string, Buffer> {
  return withTempDir((dir) => {
    const file = join(dir, 'env.sh')
    writeFileSync(file, text)
    const r = spawnSync(shell, ['-c', '. "$1" && exec /usr/bin/env -0', 'sh', file], { env: {} })
    if (r.status !== 0) throw new Error(`${shell} failed: ${r.stderr.toString()}`)
    const vars = new Map<string, Buffer>()
    let start = 0
    for (let i = r.stdout.indexOf(0); i >= 0; start = i + 1, i = r.stdout.indexOf(0, start)) {
      const entry = r.stdout.subarray(start, i)
      const eq = entry.indexOf(0x3d)
      vars.set(entry.subarray(0, eq).toString('latin1'), entry.subarray(eq + 1))
    }
    return vars
  })
}

/**
 * Parses `text` with the real systemd 252 parser. Every `\$` (how the systemd exporter writes
 * `$`) becomes DOLLAR_STAND_IN first, so the generator's `$` expansion has nothing to expand;
 * values must not contain the stand-in. The generator skips empty values.
 */
export function parseWithSystemdGenerator(text: string): Map<string, string> {
  return withTempDir((dir) => {
    mkdirSync(join(dir, 'environment.d'))
    writeFileSync(
      join(dir, 'environment.d', '50-tresor.conf'),
      text.replaceAll('\\$', DOLLAR_STAND_IN),
    )
    const r = spawnSync(SYSTEMD_GENERATOR, [], { env: { XDG_CONFIG_HOME: dir, HOME: dir } })
    if (r.status !== 0) throw new Error(`generator failed: ${r.stderr.toString()}`)
    const vars = new Map<string, string>()
    for (const line of r.stdout.toString('latin1').split('\n')) {
      const eq = line.indexOf('=')
      if (eq <= 0) continue
      const raw = Buffer.from(line.slice(eq + 1), 'latin1')
      vars.set(line.slice(0, eq), decodeGeneratorValue(raw).replaceAll(DOLLAR_STAND_IN, '$'))
    }
    return vars
  })
}

export function hasSystemdGenerator(): boolean {
  return existsSync(SYSTEMD_GENERATOR)
}

const C_ESCAPES: Record<string, number> = { a: 7, b: 8, f: 12, n: 10, r: 13, t: 9, v: 11 }

/** Undoes the generator's output quoting: `"…"` with C escapes (octal for bytes), or bare. */
function decodeGeneratorValue(raw: Buffer): string {
  if (raw.length < 2 || raw[0] !== 0x22 || raw[raw.length - 1] !== 0x22) return raw.toString()
  const bytes: number[] = []
  for (let i = 1; i < raw.length - 1; i++) {
    const b = raw[i] as number
    if (b !== 0x5c) {
      bytes.push(b)
      continue
    }
    const next = String.fromCharCode(raw[++i] as number)
    if (next in C_ESCAPES) bytes.push(C_ESCAPES[next] as number)
    else if (/[0-7]/.test(next)) {
      bytes.push(parseInt(raw.subarray(i, i + 3).toString(), 8))
      i += 2
    } else if (next === 'x') {
      bytes.push(parseInt(raw.subarray(i + 1, i + 3).toString(), 16))
      i += 2
    } else bytes.push(next.charCodeAt(0))
  }
  return Buffer.from(bytes).toString()
}
