import { printable, type Styles } from '../format.ts'

/** A masked difference: key names for all, values for config only, never a secret's value. */
export interface MaskedChanges {
  added: Array<{ key: string; kind: string; value?: string | undefined }>
  removed: Array<{ key: string; kind: string }>
  changed: Array<{
    key: string
    kind: string
    before?: string | undefined
    after?: string | undefined
    kindChanged?: boolean | undefined
  }>
}

/** True when nothing was added, removed or changed. */
export function isEmpty(d: MaskedChanges): boolean {
  return d.added.length + d.removed.length + d.changed.length === 0
}

/** One line per key: `+` added, `-` removed, `~` changed. */
export function diffLines(d: MaskedChanges, s: Styles): string[] {
  const lines: string[] = []
  for (const a of d.added)
    lines.push(
      s.green(
        a.value === undefined ? `+ ${a.key} (${a.kind})` : `+ ${a.key}=${printable(a.value)}`,
      ),
    )
  for (const r of d.removed) lines.push(s.red(`- ${r.key} (${r.kind})`))
  for (const c of d.changed) {
    if (c.before !== undefined && c.after !== undefined)
      lines.push(s.yellow(`~ ${c.key}: ${printable(c.before)} → ${printable(c.after)}`))
    else
      lines.push(
        s.yellow(
          `~ ${c.key} (${c.kindChanged === true ? `now ${c.kind}` : `${c.kind}, value not shown`})`,
        ),
      )
  }
  return lines
}
