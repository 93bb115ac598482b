import { readFileSync, writeFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { AppError } from '../core/errors.ts'

/** The name of the file `tresor link` writes into a project's folder. */
export const LINK_FILE = '.tresor.json'

/** What `.tresor.json` holds: the project and default environment of this folder. */
export interface Link {
  project: string
  env?: string
  /** The file it came from. */
  path: string
}

/** The nearest `.tresor.json` from `cwd` up to the root; undefined when there is none. */
export function findLink(cwd: string): Link | undefined {
  let dir = cwd
  for (;;) {
    const path = join(dir, LINK_FILE)
    let text: string | undefined
    try {
      text = readFileSync(path, 'utf8')
    } catch {
      text = undefined
    }
    if (text !== undefined) return parseLink(path, text)
    const up = dirname(dir)
    if (up === dir) return undefined
    dir = up
  }
}

function parseLink(path: string, text: string): Link {
  let parsed: unknown
  try {
    parsed = JSON.parse(text)
  } catch {
    throw new AppError('CONFIG_INVALID', `${path} is not valid JSON`)
  }
  const p = parsed as { project?: unknown; env?: unknown }
  if (typeof p?.project !== 'string' || (p.env !== undefined && typeof p.env !== 'string'))
    throw new AppError('CONFIG_INVALID', `${path} must hold {"project": "…", "env"?: "…"}`)
  return { project: p.project, ...(typeof p.env === 'string' && { env: p.env }), path }
}

/** Writes `.tresor.json` into `dir`; returns its path. */
export function writeLink(dir: string, link: { project: string; env?: string }): string {
  const path = join(dir, LINK_FILE)
  writeFileSync(path, `${JSON.stringify(link, null, 2)}\n`)
  return path
}
