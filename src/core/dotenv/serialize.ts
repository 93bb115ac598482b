import type { EnvDocument, EnvNode } from './types.ts'

/** Writes a document back to text; for a parsed document this is the parsed text byte for byte. */
export function serializeDocument(doc: EnvDocument): string {
  // Joined once rather than appended piece by piece: one flat string instead of a tree of
  // partial ones that the first write of it (a commit's payload) flattens again.
  const { nodes } = doc
  const first = doc.bom ? 1 : 0
  const parts = new Array<string>(first + 2 * nodes.length)
  if (doc.bom) parts[0] = '\uFEFF'
  for (let i = 0; i < nodes.length; i++) {
    const node = nodes[i] as EnvNode
    parts[first + 2 * i] = node.raw
    parts[first + 2 * i + 1] = node.eol
  }
  return parts.join('')
}
