import { checkedEntries, type ExportInput } from './common.ts'

/**
 * A JSON object `{"KEY": "value"}` in the given order, one entry a line. It is written entry by
 * entry rather than through an object so that a `__proto__` key is an ordinary key (JSON.parse
 * reads it back as an own property) and integer-like keys keep their place.
 */
export function exportJson(env: ExportInput): string {
  const entries = checkedEntries('JSON', env, () => undefined)
  if (entries.length === 0) return '{}\n'
  const body = entries.map(([key, value]) => `  ${JSON.stringify(key)}: ${JSON.stringify(value)}`)
  return `{\n${body.join(',\n')}\n}\n`
}
