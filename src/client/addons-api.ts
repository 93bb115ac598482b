import type { z } from 'zod'
import type {
  AddonListSchema,
  AddonSchema,
  AddonWriteResultSchema,
  AttachAddonBodySchema,
} from '../api/addons.ts'
import { environmentPath } from './paths.ts'
import { parseJson, type Caller } from './request.ts'
import type { EnvTarget } from './types.ts'

export type Addon = z.infer<typeof AddonSchema>
export type AddonList = z.infer<typeof AddonListSchema>
export type AddonWriteResult = z.infer<typeof AddonWriteResultSchema>
export type AttachAddonBody = z.input<typeof AttachAddonBodySchema>

const addonsPath = (t: EnvTarget) => `${environmentPath(t.project, t.env)}/addons`
const addonPath = (t: EnvTarget, name: string) => `${addonsPath(t)}/${encodeURIComponent(name)}`

/**
 * Add-ons of an environment (platform-managed variables such as `DATABASE_URL`). Listings and
 * write results carry names only; values go in (attach) and never come back.
 */
export function addonsApi(call: Caller) {
  return {
    /** `GET …/addons`: names, mode and variable names. */
    list: async (t: EnvTarget) =>
      parseJson<AddonList>(await call({ method: 'GET', path: addonsPath(t) })),
    /** `PUT …/addons/{name}`: attach with these values, replace them, or `provision: true`. */
    attach: async (t: EnvTarget, name: string, body: AttachAddonBody) =>
      parseJson<AddonWriteResult>(
        await call({ method: 'PUT', path: addonPath(t, name), json: body }),
      ),
    /** `POST …/addons/{name}/rotate`: new credentials for a provisioned add-on. */
    rotate: async (t: EnvTarget, name: string) =>
      parseJson<AddonWriteResult>(
        await call({ method: 'POST', path: `${addonPath(t, name)}/rotate`, json: {} }),
      ),
    /** `DELETE …/addons/{name}`; a provisioned database is dropped only with `dropDatabase`. */
    detach: async (t: EnvTarget, name: string, opts: { dropDatabase?: boolean } = {}) =>
      parseJson<AddonWriteResult>(
        await call({
          method: 'DELETE',
          path: addonPath(t, name),
          ...(opts.dropDatabase === true ? { query: { dropDatabase: 'true' } } : {}),
        }),
      ),
  }
}
