export type VarKind = 'config' | 'secret'

export interface DiffSide {
  values: ReadonlyMap<string, string>
  kinds: ReadonlyMap<string, VarKind>
}

export interface MaskedDiff {
  added: Array<{ key: string; kind: VarKind; value?: string }>
  removed: Array<{ key: string; kind: VarKind }>
  changed: Array<{
    key: string
    kind: VarKind
    before?: string
    after?: string
    kindChanged?: boolean
  }>
}

/**
 * The difference between two versions of a document, safe to show anyone who can read it: key
 * names for everything, values only for config on both sides, never a secret value or preview
 * (a preview would reveal that, and how, a secret changed).
 */
export function diffVariables(before: DiffSide, after: DiffSide): MaskedDiff {
  const diff: MaskedDiff = { added: [], removed: [], changed: [] }
  const kindOf = (side: DiffSide, key: string): VarKind => side.kinds.get(key) ?? 'config'
  for (const [key, value] of after.values) {
    const kind = kindOf(after, key)
    const old = before.values.get(key)
    if (old === undefined) {
      diff.added.push(kind === 'config' ? { key, kind, value } : { key, kind })
      continue
    }
    const oldKind = kindOf(before, key)
    if (old === value && oldKind === kind) continue
    const entry: MaskedDiff['changed'][number] = { key, kind }
    if (kind === 'config' && oldKind === 'config')
      Object.assign(entry, { before: old, after: value })
    if (oldKind !== kind) entry.kindChanged = true
    diff.changed.push(entry)
  }
  for (const key of before.values.keys()) {
    if (!after.values.has(key)) diff.removed.push({ key, kind: kindOf(before, key) })
  }
  return diff
}
