import type { EnvCompare, Environment, Var } from '../api/types.ts'

export type CellState = 'present' | 'missing' | 'differs'

export interface MatrixCell {
  env: string
  state: CellState
  kind?: string
  required: boolean
  /**
   * A secret's other environments holding the very same value (as the server found when
   * comparing with the baseline): a production secret reused in staging. Names only.
   */
  sameAs?: string[]
}

export interface MatrixRow {
  key: string
  /** Required in at least one environment (its checklist). */
  required: boolean
  cells: MatrixCell[]
}

/**
 * Secrets compared by the server (`GET /v1/projects/{p}/compare`): the baseline environment
 * against each other one. Only key names come back, never a value or preview.
 */
export interface SecretComparison {
  baseline: string
  /** By environment slug: `compare?from=<baseline>&to=<slug>`. */
  against: ReadonlyMap<string, Pick<EnvCompare, 'changed' | 'identicalSecrets'>>
}

/** The baseline to compare secrets against: the chosen one if it exists, else production, else the first. */
export function pickBaseline(envs: readonly Environment[], chosen?: string): string | undefined {
  const slugs = envs.map((e) => e.slug)
  if (chosen !== undefined && slugs.includes(chosen)) return chosen
  return slugs.includes('production') ? 'production' : slugs[0]
}

/**
 * Where a secret cell stands against the baseline: `differs` when the server says its value (or
 * kind) is not the baseline's, and which environments share its value. Equality is transitive:
 * two environments both identical to the baseline are identical to each other.
 */
function secretCell(
  key: string,
  env: string,
  envs: readonly string[],
  secrets: SecretComparison,
): { state: CellState; sameAs?: string[] } {
  const { baseline, against } = secrets
  const sameAsBaseline = envs.filter(
    (e) => e !== baseline && against.get(e)?.identicalSecrets.includes(key) === true,
  )
  if (env === baseline)
    return sameAsBaseline.length > 0
      ? { state: 'present', sameAs: sameAsBaseline }
      : { state: 'present' }
  const result = against.get(env)
  if (result?.changed.some((c) => c.key === key) === true) return { state: 'differs' }
  if (!sameAsBaseline.includes(env)) return { state: 'present' }
  return { state: 'present', sameAs: [baseline, ...sameAsBaseline.filter((e) => e !== env)] }
}

/**
 * Keys × environments: where each user key is set, missing, or set to a config value that
 * differs from the other environments'. Secret values never reach the page: with `secrets`
 * (the server's comparison with a baseline) a secret cell says whether it differs from the
 * baseline and which environments share its value. `projectRequired` (the project's required
 * keys) are required in every environment.
 */
export function compareMatrix(
  envs: Environment[],
  vars: Map<string, Var[]>,
  projectRequired: readonly string[] = [],
  secrets?: SecretComparison,
): MatrixRow[] {
  const keys = new Set<string>(projectRequired)
  for (const e of envs) {
    for (const v of vars.get(e.slug) ?? [])
      if (v.system !== true && v.kind !== 'system') keys.add(v.key)
    for (const k of e.requiredKeys) keys.add(k)
  }
  const slugs = envs.map((e) => e.slug)
  return [...keys].sort().map((key) => {
    const found = envs.map((e) => (vars.get(e.slug) ?? []).find((v) => v.key === key))
    const configValues = new Set(
      found.flatMap((v) => (v?.kind === 'config' ? [v.value ?? ''] : [])),
    )
    const cells = envs.map((e, i): MatrixCell => {
      const v = found[i]
      const required = projectRequired.includes(key) || e.requiredKeys.includes(key)
      if (v === undefined) return { env: e.slug, state: 'missing', required }
      if (v.kind === 'secret' && secrets !== undefined)
        return { env: e.slug, kind: v.kind, required, ...secretCell(key, e.slug, slugs, secrets) }
      const state = v.kind === 'config' && configValues.size > 1 ? 'differs' : 'present'
      return { env: e.slug, state, kind: v.kind, required }
    })
    return { key, required: cells.some((c) => c.required), cells }
  })
}

/** The secrets whose value is shared by several environments, with those environments. */
export function reusedSecrets(rows: readonly MatrixRow[]): Array<{ key: string; envs: string[] }> {
  return rows.flatMap((r) => {
    const envs = r.cells.filter((c) => c.sameAs !== undefined).map((c) => c.env)
    return envs.length > 1 ? [{ key: r.key, envs }] : []
  })
}
