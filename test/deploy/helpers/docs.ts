// Reads the fenced blocks of a docs/deploy page, so the tests run exactly what the page shows.
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { root } from '../../cli/helpers.ts'

export interface Block {
  lang: string
  /** `file=PATH`: a file the reader writes; `output=PATH|stdout`: what commands produced. */
  file?: string
  output?: string
  text: string
  line: number
}

/** Every fenced block of `docs/deploy/<page>`, in order, with its info-string attributes. */
export function docBlocks(page: string): Block[] {
  const lines = readFileSync(join(root, 'docs/deploy', page), 'utf8').split('\n')
  const blocks: Block[] = []
  for (let i = 0; i < lines.length; i++) {
    const open = /^```(\S*)(.*)$/.exec(lines[i] ?? '')
    if (open === null) continue
    const body: string[] = []
    const start = i + 1
    for (i++; i < lines.length && lines[i] !== '```'; i++) body.push(lines[i] ?? '')
    const attrs: Record<string, string> = {}
    for (const m of (open[2] ?? '').matchAll(/(\w+)=(\S+)/g)) attrs[m[1] ?? ''] = m[2] ?? ''
    blocks.push({
      lang: open[1] ?? '',
      text: body.join('\n') + '\n',
      line: start,
      ...(attrs.file === undefined ? {} : { file: attrs.file }),
      ...(attrs.output === undefined ? {} : { output: attrs.output }),
    })
  }
  return blocks
}

/** The `sh` blocks of a page: the commands a reader types. */
export function shellBlocks(page: string): Block[] {
  return docBlocks(page).filter((b) => b.lang === 'sh')
}
