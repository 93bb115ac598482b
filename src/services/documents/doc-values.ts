import { entriesOf, type EnvDocument } from '../../core/dotenv/index.ts'

// A write projects its proposed document to key → value twice (which keys changed, then the new
// state's values); documents are immutable, so the projection is kept per document object.
const projections = new WeakMap<EnvDocument, ReadonlyMap<string, string>>()

/** `entriesOf(doc)` (each key's last value, in document order), computed once per document. */
export function valuesOf(doc: EnvDocument): ReadonlyMap<string, string> {
  let values = projections.get(doc)
  if (values === undefined) projections.set(doc, (values = entriesOf(doc)))
  return values
}
