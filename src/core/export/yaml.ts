import { checkedEntries, type ExportInput } from './common.ts'

// YAML forbids these raw (C1 controls, DEL, U+FFFE/U+FFFF) or YAML 1.1 reads them as line breaks
// (NEL, U+2028, U+2029); a BOM mid-stream confuses some readers. All are escaped as \uXXXX.
const YAML_UNSAFE = /[\u007f-\u009f\u2028\u2029\ufeff\ufffe\uffff]/g

/**
 * A YAML mapping with every key and value double-quoted, so `yes`, `0123`, `null`, `1e3` and
 * `~` stay strings for YAML 1.1 and 1.2 readers alike. Multi-line values are written with `\n`
 * escapes: exact, and free of block-scalar indentation and chomping pitfalls.
 */
export function exportYaml(env: ExportInput): string {
  const entries = checkedEntries('YAML', env, () => undefined)
  if (entries.length === 0) return '{}\n'
  return entries.map(([key, value]) => `${yamlQuote(key)}: ${yamlQuote(value)}\n`).join('')
}

/** `text` as a YAML double-quoted scalar on one line (JSON string syntax is valid YAML). */
export function yamlQuote(text: string): string {
  return JSON.stringify(text).replace(YAML_UNSAFE, (c) => {
    return '\\u' + c.charCodeAt(0).toString(16).padStart(4, '0')
  })
}
