import type { Var } from '../api/types.ts'
import type { PreviewEntry } from './dotenv-preview.ts'
import { isSystemName } from './key-rule.ts'
import { maskValue } from './mask.ts'

export type PasteStatus = 'added' | 'changed' | 'unchanged' | 'kept' | 'removed' | 'refused'

/** One key of a paste's preview: what applying it would do. Secret values appear masked only. */
export interface PasteRow {
  key: string
  status: PasteStatus
  kind: 'config' | 'secret'
  before?: string | undefined
  after?: string | undefined
  line?: number
}

function shown(v: Var | undefined): string | undefined {
  if (v === undefined) return undefined
  if (v.kind === 'secret') return v.preview ?? '***'
  return v.value ?? v.preview ?? ''
}

function rowOf(e: PreviewEntry, cur: Var | undefined): PasteRow {
  const base = { key: e.key, line: e.line, before: shown(cur) }
  if (cur?.system === true || cur?.kind === 'system' || isSystemName(e.key)) {
    return { ...base, status: 'refused', kind: 'config' }
  }
  const kind = e.secret || cur?.kind === 'secret' ? 'secret' : 'config'
  if (kind === 'secret') {
    // A line still holding the stored secret's preview (a downloaded document pasted back)
    // keeps the stored value; the server applies the same rule.
    if (cur?.kind === 'secret' && cur.preview === e.value) return { ...base, status: 'kept', kind }
    return {
      ...base,
      status: cur === undefined ? 'added' : 'changed',
      kind,
      after: maskValue(e.value),
    }
  }
  if (cur === undefined) return { ...base, status: 'added', kind, after: e.value }
  const same = cur.kind === 'config' && cur.value === e.value
  return { ...base, status: same ? 'unchanged' : 'changed', kind, after: e.value }
}

/**
 * What applying pasted entries does to the current variables: merged (others untouched) or
 * replacing (user keys not pasted are removed; system variables are never touched).
 */
export function diffPaste(entries: PreviewEntry[], current: Var[], replace: boolean): PasteRow[] {
  const last = new Map<string, PreviewEntry>()
  // As the server reads a document: the last line of a key wins, in order of first appearance.
  for (const e of entries) last.set(e.key, e)
  const byKey = new Map(current.map((v) => [v.key, v]))
  const rows = [...last.values()].map((e) => rowOf(e, byKey.get(e.key)))
  if (replace) {
    for (const v of current) {
      if (v.system === true || v.kind === 'system' || last.has(v.key)) continue
      const kind = v.kind === 'secret' ? 'secret' : 'config'
      rows.push({ key: v.key, status: 'removed', kind, before: shown(v) })
    }
  }
  return rows
}
