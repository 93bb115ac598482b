import type { EntryNode, EnvDocument } from './types.ts'

/** A key written more than once, with every 1-based line it appears on. */
export interface DuplicateKey {
  readonly key: string
  readonly lines: readonly number[]
}

/** The entry nodes of a document, in file order. */
export function entryNodes(doc: EnvDocument): EntryNode[] {
  const out: EntryNode[] = []
  for (const node of doc.nodes) if (node.kind === 'entry') out.push(node)
  return out
}

/**
 * The key→value projection that `dotenv.parse` gives: the last duplicate wins, keys ordered by
 * first appearance. A Map, so keys such as `__proto__` are ordinary keys.
 */
export function entriesOf(doc: EnvDocument): Map<string, string> {
  const map = new Map<string, string>()
  for (const node of doc.nodes) if (node.kind === 'entry') map.set(node.key, node.value)
  return map
}

/** Keys that appear on more than one entry, in order of first appearance, with their lines. */
export function duplicateKeys(doc: EnvDocument): DuplicateKey[] {
  const lines = new Map<string, number[]>()
  for (const node of doc.nodes) {
    if (node.kind !== 'entry') continue
    const seen = lines.get(node.key)
    if (seen === undefined) lines.set(node.key, [node.line])
    else seen.push(node.line)
  }
  const out: DuplicateKey[] = []
  for (const [key, at] of lines) if (at.length > 1) out.push({ key, lines: at })
  return out
}
