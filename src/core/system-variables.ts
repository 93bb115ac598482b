/** Names Tresor injects at release time; users can never set, delete, import or replace them. */
export const ALWAYS_RESERVED = ['PORT', 'APP_ENV'] as const

/** Every `TRESOR_*` name is reserved (deploy id, slugs, and any Tresor adds later). */
export const RESERVED_PREFIX = 'TRESOR_'

/** Variables an add-on injects when it is attached to an environment (PRODUCT.md §1). */
export const ADDON_VARIABLES: Readonly<Record<string, readonly string[]>> = {
  postgres: ['DATABASE_URL', 'DATABASE_POOL_SIZE'],
  redis: ['REDIS_URL'],
}

/** Default port an app listens on when its environment sets none (what Kamal's proxy expects). */
export const DEFAULT_APP_PORT = '3000'

/** True when `key` is reserved for an environment with the given add-ons attached. */
export function isReserved(key: string, addons: readonly string[] = []): boolean {
  if ((ALWAYS_RESERVED as readonly string[]).includes(key)) return true
  if (key.startsWith(RESERVED_PREFIX)) return true
  return addons.some((a) => ADDON_VARIABLES[a]?.includes(key) ?? false)
}

export interface SystemContext {
  port?: string
  envSlug: string
  projectSlug: string
  deployId?: string
  /** Values injected by attached add-ons, e.g. `{ DATABASE_URL: 'postgres://…' }`. */
  addonValues?: Readonly<Record<string, string>>
}

/**
 * The system variables of an environment, in a stable order. Without a deploy id (before a
 * release exists) `TRESOR_DEPLOY_ID` is omitted from the list.
 */
export function systemVariables(ctx: SystemContext): Map<string, string> {
  const vars = new Map<string, string>()
  vars.set('PORT', ctx.port ?? DEFAULT_APP_PORT)
  vars.set('APP_ENV', ctx.envSlug)
  if (ctx.deployId !== undefined) vars.set('TRESOR_DEPLOY_ID', ctx.deployId)
  vars.set('TRESOR_PROJECT_SLUG', ctx.projectSlug)
  vars.set('TRESOR_ENV_SLUG', ctx.envSlug)
  for (const [k, v] of Object.entries(ctx.addonValues ?? {})) vars.set(k, v)
  return vars
}
