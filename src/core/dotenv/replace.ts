import type { EnvDocument } from './types.ts'
import { toPairs, validateChanges, writeAll, type EntriesInput } from './validate.ts'
import { renumber } from './merge.ts'
import { newEntry } from './write.ts'

/**
 * A document holding exactly `entries`, in the given order, one `KEY=value` line each (LF, final
 * newline); throws VALIDATION_FAILED or UNREPRESENTABLE_VALUE naming each bad key.
 */
export function replaceDocument(entries: EntriesInput): EnvDocument {
  const pairs = toPairs(entries)
  validateChanges(pairs)
  const written = writeAll(pairs.map(([key, value]) => ({ key, value })))
  const nodes = pairs.map(([key, value], i) => newEntry(key, value, written[i] ?? '', false, '\n'))
  return { bom: false, nodes: renumber(nodes) }
}
