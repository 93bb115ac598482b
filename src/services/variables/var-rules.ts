import type { EnvDocument } from '../../core/dotenv/index.ts'
import { AppError, type ErrorDetail } from '../../core/errors.ts'
import { isReserved, systemVariables } from '../../core/system-variables.ts'
import type { KeyKind } from '../../storage/store.ts'
import { valuesOf } from '../documents/doc-values.ts'
import type { AddonVars, DocState } from '../documents/document-state.ts'
import type { Target } from '../projects/targets.ts'

/** The system variables of a target as the app would get them now (no deploy id before one). */
export function systemVarsOf(target: Target, deployId?: string): Map<string, string> {
  if (target.env === null) return new Map()
  return systemVariables({
    envSlug: target.env.slug,
    projectSlug: target.project.slug,
    ...(deployId === undefined ? {} : { deployId }),
  })
}

/**
 * `system` plus the state's add-on variables: what a release resolves against (they win over
 * user variables like every system variable). Not for a release row's clear `systemVars`: add-on
 * values are secrets and live only in the sealed snapshot.
 */
export function withAddonVars(
  system: ReadonlyMap<string, string>,
  state: Pick<DocState, 'addons'>,
): Map<string, string> {
  return new Map([...system, ...Object.entries(addonValues(state.addons))])
}

/** Every add-on variable as `{ KEY: value }` (values: for releases only, never for listings). */
export function addonValues(addons: readonly AddonVars[]): Record<string, string> {
  const out: Record<string, string> = {}
  for (const addon of addons) for (const v of addon.vars) out[v.key] = v.value
  return out
}

/** The attached add-on that provides `key`, if any. */
export function addonOf(state: Pick<DocState, 'addons'>, key: string): string | undefined {
  return state.addons.find((a) => a.vars.some((v) => v.key === key))?.name
}

/**
 * Refuses user writes to add-on variables (PRODUCT.md §2.5), naming the key and its add-on.
 * Checked against the state inside the write's transaction, so a refused write changes nothing.
 */
export function addonProblems(
  state: Pick<DocState, 'addons'>,
  keys: Iterable<string>,
  lines?: ReadonlyMap<string, number>,
): ErrorDetail[] {
  const out: ErrorDetail[] = []
  for (const key of keys) {
    const addon = addonOf(state, key)
    if (addon === undefined) continue
    const line = lines?.get(key)
    out.push({
      key,
      ...(line === undefined ? {} : { line }),
      message: `${key} is managed by add-on ${addon} and cannot be changed: rotate or detach the add-on instead`,
    })
  }
  return out
}

/** Throws RESERVED_VARIABLE when any key belongs to an attached add-on; changes nothing. */
export function assertNoAddonKeys(state: Pick<DocState, 'addons'>, keys: Iterable<string>): void {
  const problems = addonProblems(state, keys)
  if (problems.length > 0) {
    throw new AppError('RESERVED_VARIABLE', problems.map((p) => p.message).join('; '), problems)
  }
}

/**
 * Refuses writes to reserved names (PRODUCT.md §2.5), naming each variable and the value the
 * app gets instead. System values are slugs, ports and ids: never secret.
 */
export function reservedProblems(
  target: Target,
  keys: Iterable<string>,
  lines?: ReadonlyMap<string, number>,
): ErrorDetail[] {
  // Built only when a key is reserved: nearly every write names none.
  let system: Map<string, string> | undefined
  const out: ErrorDetail[] = []
  for (const key of keys) {
    if (!isReserved(key)) continue
    const value = (system ??= systemVarsOf(target)).get(key)
    const why =
      value === undefined ? 'it is set by Tresor at each release' : `Tresor sets it to '${value}'`
    const line = lines?.get(key)
    out.push({
      key,
      ...(line === undefined ? {} : { line }),
      message: `${key} is a system variable and cannot be changed: ${why}`,
    })
  }
  return out
}

/** Throws RESERVED_VARIABLE when any key is a system variable; changes nothing. */
export function assertNotReserved(target: Target, keys: Iterable<string>): void {
  const problems = reservedProblems(target, keys)
  if (problems.length > 0) {
    throw new AppError('RESERVED_VARIABLE', problems.map((p) => p.message).join('; '), problems)
  }
}

/** Keys whose value or kind differs between the state and the proposed document. */
export function changedKeys(
  state: DocState,
  doc: EnvDocument,
  kinds: ReadonlyMap<string, KeyKind>,
): string[] {
  const next = valuesOf(doc)
  const out: string[] = []
  for (const [key, value] of next) {
    const oldKind = state.meta.get(key)?.kind ?? 'config'
    const kind = kinds.get(key) ?? oldKind
    if (state.values.get(key) !== value || !state.values.has(key) || kind !== oldKind) out.push(key)
  }
  for (const key of state.values.keys()) if (!next.has(key)) out.push(key)
  return out
}

/**
 * `changedKeys` of a write that merges one key, `key` = `value` of `kind`, into the state's
 * document: a merge rewrites that key's winning line or appends it and touches no other key, so
 * only `key` can have changed (it has when it is new, or its value or kind differs). Spares
 * projecting the whole new document to compare every key.
 */
export function changedKey(
  state: Pick<DocState, 'values' | 'meta'>,
  key: string,
  value: string,
  kind: KeyKind,
): string[] {
  const old = state.values.get(key)
  const oldKind = state.meta.get(key)?.kind ?? 'config'
  return old !== value || kind !== oldKind ? [key] : []
}

const SECRET_NAME = /(SECRET|TOKEN|PASSWORD|PASSWD|PRIVATE|API_?KEY|CREDENTIAL|AUTH)/i

/** Warnings for a write: config keys whose name says they hold a secret. */
export function kindWarnings(kinds: ReadonlyMap<string, KeyKind>): string[] {
  const out: string[] = []
  for (const [key, kind] of kinds) {
    if (kind === 'config' && SECRET_NAME.test(key)) {
      out.push(
        `${key} looks like a secret but is stored as config (readable by anyone who can read this environment); set kind "secret" to mask it`,
      )
    }
  }
  return out
}
