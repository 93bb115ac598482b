import type { Var } from '../../client/index.ts'
import { parseDocument } from '../../core/dotenv/parse.ts'
import { entryNodes } from '../../core/dotenv/project.ts'
import { AppError } from '../../core/errors.ts'
import { isReserved } from '../../core/system-variables.ts'
import { stylesFor } from '../format.ts'
import { confirm } from '../input.ts'
import type { Verb } from '../spec.ts'
import { diffLines, isEmpty, type MaskedChanges } from './diff-view.ts'
import { afterWrite, readTextInput, where } from './shared.ts'

// The marker the server reads to store a line's key as a secret (see document upload).
const SECRET_MARK = /#\s*secret\s*$/i

/** What importing `text` would change, computed from the masked listing: never a secret value. */
export function importChanges(
  text: string,
  current: readonly Var[],
  replace: boolean,
): MaskedChanges {
  const now = new Map(current.filter((v) => v.kind !== 'system').map((v) => [v.key, v]))
  const d: MaskedChanges = { added: [], removed: [], changed: [] }
  const seen = new Set<string>()
  const nodes = entryNodes(parseDocument(text))
  const system = new Set(current.filter((v) => v.kind === 'system').map((v) => v.key))
  const reserved = nodes.filter((n) => isReserved(n.key) || system.has(n.key))
  if (reserved.length > 0)
    throw new AppError(
      'RESERVED_VARIABLE',
      'the file sets system variables, which Tresor sets at each release; remove them',
      reserved.map((n) => ({ key: n.key, line: n.line, message: 'is a system variable' })),
    )
  for (const node of nodes.reverse()) {
    // The last duplicate wins, as dotenv reads it.
    if (seen.has(node.key)) continue
    seen.add(node.key)
    const marked = SECRET_MARK.test(node.raw.slice(node.valueEnd))
    const old = now.get(node.key)
    const kind = marked ? 'secret' : (old?.kind ?? 'config')
    if (old === undefined)
      d.added.unshift(
        kind === 'config' ? { key: node.key, kind, value: node.value } : { key: node.key, kind },
      )
    else if (old.kind !== kind) d.changed.unshift({ key: node.key, kind, kindChanged: true })
    else if (kind === 'config' && old.value !== node.value)
      d.changed.unshift({ key: node.key, kind, before: old.value, after: node.value })
    // A secret line holding the stored preview is a downloaded document sent back: kept.
    else if (kind === 'secret' && node.value !== old.preview)
      d.changed.unshift({ key: node.key, kind })
  }
  if (replace) for (const [key, v] of now) if (!seen.has(key)) d.removed.push({ key, kind: v.kind })
  return d
}

/**
 * `tresor config:import FILE|-`: merges a dotenv file (or makes the environment exactly the
 * file with `--replace`) after showing the masked diff and asking; the write is based on the
 * revision the diff was computed from, so what was shown is what gets applied.
 */
export const configImport: Verb = async (ctx) => {
  const file = ctx.args[0] ?? '-'
  const target = ctx.target()
  const client = ctx.client()
  const text = await readTextInput(ctx, file, 'dotenv lines')
  const list = await client.vars.list(target)
  const replace = ctx.flags.replace === true
  const changes = importChanges(text, list.vars, replace)
  const keys = (xs: Array<{ key: string }>) => xs.map((x) => x.key)
  const summary = {
    added: keys(changes.added),
    removed: keys(changes.removed),
    changed: keys(changes.changed),
  }
  if (isEmpty(changes))
    return {
      json: { ...summary, revision: list.revision, warnings: [] },
      notes: [`Nothing to change in ${where(target)}.`],
    }
  if (ctx.flags.quiet !== true) {
    const s = stylesFor(ctx.io.stderrIsTTY, ctx.io.env)
    ctx.io.stderr(
      `Changes to ${where(target)}:\n${diffLines(changes, s)
        .map((l) => `  ${l}\n`)
        .join('')}`,
    )
  }
  const n = summary.added.length + summary.removed.length + summary.changed.length
  await confirm(
    ctx.io,
    `Apply ${n} change${n === 1 ? '' : 's'} to ${where(target)}?`,
    ctx.flags.yes === true,
  )
  const out = await client.documents.put(target, text, { replace, baseRevision: list.revision })
  return {
    json: { ...summary, revision: out.revision, warnings: out.warnings ?? [] },
    warnings: out.warnings ?? [],
    notes: [`Imported into ${where(target)}: ${afterWrite(out.revision, out.redeployRequired)}.`],
  }
}
