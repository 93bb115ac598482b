import type { Environment, Var } from '../api/types.ts'

export type CellState = 'present' | 'missing' | 'differs'

export interface MatrixRow {
  key: string
  /** Required in at least one environment (its checklist). */
  required: boolean
  cells: Array<{ env: string; state: CellState; kind?: string; required: boolean }>
}

/**
 * Keys × environments: where each user key is set, missing, or set to a config value that
 * differs from the other environments'. Secret values are never compared (they are not here).
 * `projectRequired` (the project's required keys) are required in every environment.
 */
export function compareMatrix(
  envs: Environment[],
  vars: Map<string, Var[]>,
  projectRequired: readonly string[] = [],
): MatrixRow[] {
  const keys = new Set<string>(projectRequired)
  for (const e of envs) {
    for (const v of vars.get(e.slug) ?? [])
      if (v.system !== true && v.kind !== 'system') keys.add(v.key)
    for (const k of e.requiredKeys) keys.add(k)
  }
  return [...keys].sort().map((key) => {
    const found = envs.map((e) => (vars.get(e.slug) ?? []).find((v) => v.key === key))
    const configValues = new Set(
      found.flatMap((v) => (v?.kind === 'config' ? [v.value ?? ''] : [])),
    )
    const cells = envs.map((e, i) => {
      const v = found[i]
      const required = projectRequired.includes(key) || e.requiredKeys.includes(key)
      if (v === undefined) return { env: e.slug, state: 'missing' as const, required }
      const state =
        v.kind === 'config' && configValues.size > 1 ? ('differs' as const) : ('present' as const)
      return { env: e.slug, state, kind: v.kind, required }
    })
    return { key, required: cells.some((c) => c.required), cells }
  })
}
