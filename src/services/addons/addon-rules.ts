import { AppError, type ErrorDetail } from '../../core/errors.ts'
import { ADDON_VARIABLES, isReserved } from '../../core/system-variables.ts'
import type { KeyKind } from '../../storage/store.ts'
import type { AddonVars, DocState } from '../documents/document-state.ts'

/** Add-on names: lower-case, like `postgres`, `redis`, `mail-relay`. */
export const ADDON_NAME = /^[a-z][a-z0-9-]{0,31}$/

// Variables of the known add-ons that are not credentials: shown in clear, like config.
const CONFIG_BY_DEFAULT = new Set(['DATABASE_POOL_SIZE'])

export interface AttachVarsInput {
  vars: Readonly<Record<string, string>>
  /** Names shown in clear (config); the others are secrets (masked), except known config ones. */
  config?: readonly string[] | undefined
}

export function assertAddonName(name: string): void {
  if (!ADDON_NAME.test(name)) {
    throw new AppError('VALIDATION_FAILED', 'invalid add-on name', [
      { field: 'name', message: 'use lower-case letters, digits and dashes (e.g. postgres)' },
    ])
  }
}

/** The add-on's variables from a request, checked; VALIDATION_FAILED names every bad key. */
export function addonVarsOf(name: string, input: AttachVarsInput): AddonVars {
  const entries = Object.entries(input.vars)
  const problems: ErrorDetail[] = []
  if (entries.length === 0) problems.push({ field: 'vars', message: 'give at least one variable' })
  const known = ADDON_VARIABLES[name]
  const config = new Set(input.config ?? [])
  for (const key of config) {
    if (!(key in input.vars))
      problems.push({ key, field: 'config', message: `${key} is listed in config but not in vars` })
  }
  for (const [key] of entries) {
    if (isReserved(key))
      problems.push({ key, message: `${key} is a system variable of Tresor, not an add-on's` })
    else if (known !== undefined && !known.includes(key))
      problems.push({
        key,
        message: `${key} is not a variable of add-on ${name} (it provides ${known.join(', ')})`,
      })
  }
  if (problems.length > 0)
    throw new AppError('VALIDATION_FAILED', `invalid variables for add-on ${name}`, problems)
  const kindOf = (key: string): KeyKind =>
    config.has(key) || CONFIG_BY_DEFAULT.has(key) ? 'config' : 'secret'
  return { name, vars: entries.map(([key, value]) => ({ key, value, kind: kindOf(key) })) }
}

/**
 * Refuses an add-on whose variables the environment already has: set by the user (unset it
 * first) or provided by another add-on. CONFLICT names each key.
 */
export function assertNoClash(state: DocState, addon: AddonVars): void {
  const problems: ErrorDetail[] = []
  for (const { key } of addon.vars) {
    const other = state.addons.find(
      (a) => a.name !== addon.name && a.vars.some((v) => v.key === key),
    )
    if (other !== undefined)
      problems.push({ key, message: `${key} is already provided by add-on ${other.name}` })
    else if (state.values.has(key))
      problems.push({
        key,
        message: `${key} is set in this environment's variables; unset it before attaching add-on ${addon.name}`,
      })
  }
  if (problems.length > 0)
    throw new AppError('CONFLICT', problems.map((p) => p.message).join('; '), problems)
}

/** The state's add-ons with `addon` put in place of the one of its name (or added). */
export function withAddon(state: DocState, addon: AddonVars): AddonVars[] {
  const rest = state.addons.filter((a) => a.name !== addon.name)
  return [...rest, addon].sort((a, b) => a.name.localeCompare(b.name))
}

/** Names of the variables that differ between two versions of an add-on (names only). */
export function changedAddonKeys(before: AddonVars | undefined, after: AddonVars | undefined) {
  const old = new Map((before?.vars ?? []).map((v) => [v.key, v]))
  const next = new Map((after?.vars ?? []).map((v) => [v.key, v]))
  const out: string[] = []
  for (const [key, v] of next) {
    const o = old.get(key)
    if (o === undefined || o.value !== v.value || o.kind !== v.kind) out.push(key)
  }
  for (const key of old.keys()) if (!next.has(key)) out.push(key)
  return out
}
