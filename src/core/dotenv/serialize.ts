import type { EnvDocument } from './types.ts'

/** Writes a document back to text; for a parsed document this is the parsed text byte for byte. */
export function serializeDocument(doc: EnvDocument): string {
  let out = doc.bom ? '\uFEFF' : ''
  for (const node of doc.nodes) out += node.raw + node.eol
  return out
}
