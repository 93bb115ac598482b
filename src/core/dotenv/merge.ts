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
  const occurrences = occurrencesOf(doc)
  const { last, repeated } = occurrences
  const { replaced, appended, changed } = planSets(doc, pairs, last, nl)
  const inPlace = deletes.length === 0 && appended.length === 0
  const kept = keptNodes(doc, replaced, new Set(deletes))
  for (const node of appended) kept.push(node)
  // Values rewritten in place in a settled document, each over as many lines as before, leave
  // every line number and line end as they were: the renumbering would change nothing.
  const unmoved = inPlace && settled.has(doc) && sameHeights(doc, replaced)
  const merged = { bom: doc.bom, nodes: unmoved ? kept : renumber(settleLineEnds(kept, doc, nl)) }
  settled.add(merged)
  // Values rewritten in place leave every entry where it was: the next merge reuses the index.
  if (inPlace) known.set(merged, occurrences)
  return {
    doc: merged,
    set: pairs.map(([key]) => key),
    changed,
    added: appended.map((n) => n.key),
    removed: deletes.filter((k) => last.has(k)),
    notFound: deletes.filter((k) => !last.has(k)),
    // Sets rewrite a key in place or append a key the document lacks, deletes drop every
    // occurrence: a document without repeated keys cannot gain one, so it needs no search.
    duplicates: repeated ? duplicateKeys(merged) : [],
  }
}

// Documents this module made: their lines are numbered and their line ends settled.
const settled = new WeakSet<EnvDocument>()

/** True when every rewritten entry spans as many lines as the one it replaces. */
function sameHeights(doc: EnvDocument, replaced: ReadonlyMap<number, EntryNode>): boolean {
  for (const [at, node] of replaced) {
    if (breaksIn(node.raw) !== breaksIn(doc.nodes[at]?.raw ?? '')) return false
  }
  return true
}

/** The document's nodes with rewritten entries in place and deleted keys' entries left out. */
function keptNodes(
  doc: EnvDocument,
  replaced: ReadonlyMap<number, EntryNode>,
  drop: ReadonlySet<string>,
): EnvNode[] {
  if (drop.size === 0) {
    const kept = doc.nodes.slice()
    for (const [at, node] of replaced) kept[at] = node
    return kept
  }
  const kept: EnvNode[] = []
  doc.nodes.forEach((node, i) => {
    if (node.kind !== 'entry' || !drop.has(node.key)) kept.push(replaced.get(i) ?? node)
  })
  return kept
}

/** A set that writes: `node` is the entry it rewrites (at index `at`), or absent for a new key. */
interface PendingSet {
  key: string
  value: string
  at: number
  node?: EntryNode
  preferred?: QuoteStyle
}

/** Index of the last (winning) entry of each key, and whether any key has more than one. */
interface Occurrences {
  readonly last: ReadonlyMap<string, number>
  readonly repeated: boolean
}

// Documents are immutable, and a write usually merges into the document the previous write made.
const known = new WeakMap<EnvDocument, Occurrences>()

function occurrencesOf(doc: EnvDocument): Occurrences {
  let found = known.get(doc)
  if (found === undefined) known.set(doc, (found = lastOccurrences(doc)))
  return found
}

function lastOccurrences(doc: EnvDocument): Occurrences {
  const last = new Map<string, number>()
  let entries = 0
  const { nodes } = doc
  for (let i = 0; i < nodes.length; i++) {
    const node = nodes[i]
    if (node?.kind !== 'entry') continue
    last.set(node.key, i)
    entries++
  }
  return { last, repeated: last.size !== entries }
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
  // Only a new key needs to know whether every entry is exported (it then is too).
  const exported = pending.some((t) => t.node === undefined) && allExported(doc)
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
 * file without a final newline stays without one (unless that last line is empty). Settles
 * `nodes` (a new array of the merge's own) in place.
 */
function settleLineEnds(nodes: EnvNode[], doc: EnvDocument, nl: LineEnding): EnvNode[] {
  const finalBreak = doc.nodes.length === 0 || doc.nodes[doc.nodes.length - 1]?.eol !== ''
  for (let i = 0; i < nodes.length; i++) {
    const node = nodes[i] as EnvNode
    // An empty line needs its break to exist at all, so only a non-empty last line loses it.
    const keepBreak = i < nodes.length - 1 || finalBreak || node.raw === ''
    const eol = keepBreak ? node.eol || nl : ''
    if (eol !== node.eol) nodes[i] = { ...node, eol }
  }
  return nodes
}

/** Recomputes 1-based line numbers after lines were added, removed or changed height. */
export function renumber(nodes: EnvNode[]): EnvNode[] {
  let line = 1
  return nodes.map((node) => {
    const at = line
    line += breaksIn(node.raw) + (node.eol === '' ? 0 : 1)
    return node.line === at ? node : { ...node, line: at }
  })
}

// Most lines hold no break: the native searches rule that out without a loop over every character.
const breaksIn = (raw: string): number =>
  raw.indexOf('\n') === -1 && raw.indexOf('\r') === -1 ? 0 : countBreaks(raw, 0, raw.length)
