/** The env-document engine: lossless dotenv parse, serialize, merge and value formatting. */
export { parseDocument } from './parse.ts'
export { serializeDocument } from './serialize.ts'
export { entriesOf, duplicateKeys, type DuplicateKey } from './project.ts'
export { mergeDocument, type MergeChanges, type MergeResult } from './merge.ts'
export { replaceDocument } from './replace.ts'
export { formatDotenvValue } from './value.ts'
export type { EntriesInput } from './validate.ts'
export type {
  BlankNode,
  CommentNode,
  EntryNode,
  EnvDocument,
  EnvNode,
  LineEnding,
  QuoteStyle,
} from './types.ts'
