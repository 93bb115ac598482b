import { entriesOf, type EnvDocument } from '../../core/dotenv/index.ts'

// A write projects its proposed document to key → value twice (which keys changed, then the new
// state's values); documents are immutable, so the projection is kept on the document object.
// Not in a WeakMap keyed by documents: V8's young-generation GC treats a WeakMap's values as
// live, so every write's projection (a map of every key, about 4 KB for 100 keys) survived
// young collections and was copied and promoted until the next full GC. On the object, it dies
// with the document.
const PROJECTION = Symbol('tresor.values')

type Projected = EnvDocument & { [PROJECTION]?: ReadonlyMap<string, string> }

/** `entriesOf(doc)` (each key's last value, in document order), computed once per document. */
export function valuesOf(doc: EnvDocument): ReadonlyMap<string, string> {
  const projected = doc as Projected
  let values = projected[PROJECTION]
  if (values === undefined) {
    values = entriesOf(doc)
    // Not enumerable: comparisons and copies of documents see only their own fields. A frozen
    // document is projected again on each call instead.
    if (Object.isExtensible(doc)) Object.defineProperty(doc, PROJECTION, { value: values })
  }
  return values
}
