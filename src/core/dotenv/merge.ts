import { countBreaks } from './parse.ts'
import { duplicateKeys, type DuplicateKey } from './project.ts'
import type { EntryNode, EnvDocument, EnvNode, LineEnding, QuoteStyle } from './types.ts'
import { toPairs, validateChanges, writeAll, type EntriesInput } from './validate.ts'
import { newEntry, rewriteEntry } from './write.ts'

/** What to change: keys to set (in place, else appended) and keys to delete (every occurrence). */
export interface MergeChanges {
  readonly set?: EntriesInput
  readonly delete?: readonly string[]
}

/** The merged document and what happened to each requested key. */
export interface MergeResult {
  readonly doc: EnvDocument
  /** Every key asked to be set, in request order. */
  readonly set: string[]
  /** Existing keys whose value differs now (unchanged values leave their line as it was). */
  readonly changed: string[]
  readonly added: string[]
  readonly removed: string[]
  readonly notFound: string[]
  /** Keys still written more than once in the merged document, with their lines. */
  readonly duplicates: DuplicateKey[]
}

/**
 * Sets and deletes keys while keeping every other byte: a set rewrites only the value of the
 * key's last (winning) occurrence, keeping its quote style where the value allows; new keys are
 * appended; a delete drops every occurrence. Throws VALIDATION_FAILED or UNREPRESENTABLE_VALUE
 * naming each bad key, before anything is changed.
 */
export function mergeDocument(doc: EnvDocument, changes: MergeChanges): MergeResult {
  const pairs = toPairs(changes.set ?? [])
  const deletes = [...new Set(changes.delete ?? [])]
  validateChanges(pairs, deletes)
  const nl = lineEndingOf(doc)
  const last = lastOccurrences(doc)
  const { replaced, appended, changed } = planSets(doc, pairs, last, nl)
  const drop = new Set(deletes)
  const kept = doc.nodes.flatMap((node, i) =>
    node.kind === 'entry' && drop.has(node.key) ? [] : [replaced.get(i) ?? node],
  )
  const merged = { bom: doc.bom, nodes: renumber(settleLineEnds([...kept, ...appended], doc, nl)) }
  return {
    doc: merged,
    set: pairs.map(([key]) => key),
    changed,
    added: appended.map((n) => n.key),
    removed: deletes.filter((k) => last.has(k)),
    notFound: deletes.filter((k) => !last.has(k)),
    duplicates: duplicateKeys(merged),
  }
}

/** A set that writes: `node` is the entry it rewrites (at index `at`), or absent for a new key. */
interface PendingSet {
  key: string
  value: string
  at: number
  node?: EntryNode
  preferred?: QuoteStyle
}

/** Index of the last (winning) entry of each key. */
function lastOccurrences(doc: EnvDocument): Map<string, number> {
  const last = new Map<string, number>()
  doc.nodes.forEach((node, i) => {
    if (node.kind === 'entry') last.set(node.key, i)
  })
  return last
}

/**
 * The rewritten entries (by node index) and appended ones for every set whose value differs;
 * all values are written first, so an unrepresentable one throws before anything is built.
 */
function planSets(
  doc: EnvDocument,
  pairs: ReadonlyArray<readonly [string, string]>,
  last: ReadonlyMap<string, number>,
  nl: LineEnding,
): { replaced: Map<number, EntryNode>; appended: EntryNode[]; changed: string[] } {
  const pending = pairs.flatMap(([key, value]): PendingSet[] => {
    const at = last.get(key) ?? -1
    const node = doc.nodes[at]
    if (node?.kind !== 'entry') return [{ key, value, at }]
    return node.value === value ? [] : [{ key, value, at, node, preferred: node.quote }]
  })
  const written = writeAll(pending)
  const replaced = new Map<number, EntryNode>()
  const appended: EntryNode[] = []
  const exported = allExported(doc)
  pending.forEach((t, i) => {
    const w = written[i] ?? ''
    if (t.node === undefined) appended.push(newEntry(t.key, t.value, w, exported, nl))
    else replaced.set(t.at, rewriteEntry(t.node, t.value, w, nl))
  })
  const changed = pending.flatMap((t) => (t.node === undefined ? [] : [t.key]))
  return { replaced, appended, changed }
}

/** The line break new lines use: the document's first, else LF. */
export function lineEndingOf(doc: EnvDocument): LineEnding {
  for (const node of doc.nodes) if (node.eol !== '') return node.eol
  return '\n'
}

function allExported(doc: EnvDocument): boolean {
  let any = false
  for (const node of doc.nodes) {
    if (node.kind !== 'entry') continue
    if (!node.exported) return false
    any = true
  }
  return any
}

/**
 * Every line but the last ends with a break; the last keeps the document's convention, so a
 * file without a final newline stays without one (unless that last line is empty).
 */
function settleLineEnds(nodes: EnvNode[], doc: EnvDocument, nl: LineEnding): EnvNode[] {
  const finalBreak = doc.nodes.length === 0 || doc.nodes[doc.nodes.length - 1]?.eol !== ''
  return nodes.map((node, i) => {
    // An empty line needs its break to exist at all, so only a non-empty last line loses it.
    const keepBreak = i < nodes.length - 1 || finalBreak || node.raw === ''
    const eol = keepBreak ? node.eol || nl : ''
    return eol === node.eol ? node : { ...node, eol }
  })
}

/** Recomputes 1-based line numbers after lines were added, removed or changed height. */
export function renumber(nodes: EnvNode[]): EnvNode[] {
  let line = 1
  return nodes.map((node) => {
    const at = line
    line += countBreaks(node.raw, 0, node.raw.length) + (node.eol === '' ? 0 : 1)
    return node.line === at ? node : { ...node, line: at }
  })
}
