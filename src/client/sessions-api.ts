import { parseJson, type Caller } from './request.ts'
import type { CliSession, DeviceStart, DeviceToken } from './types.ts'

/**
 * Sessions of `tresor login --sso`: the device authorization Tresor runs at the identity
 * provider (the client secret stays on the server), the refresh of a short-lived session
 * secret, and sign-out. The first three are public routes; `signOut` needs the session bearer.
 */
export function sessionsApi(call: Caller) {
  return {
    /** `POST /v1/sso/device`: the user code and URL to show, and the handle to poll with. */
    startDevice: async () =>
      parseJson<DeviceStart>(await call({ method: 'POST', path: '/v1/sso/device', json: {} })),
    /** `POST /v1/sso/device/token`: `pending`/`slow_down` until approved, then the session. */
    pollDevice: async (deviceCode: string) =>
      parseJson<DeviceToken>(
        await call({ method: 'POST', path: '/v1/sso/device/token', json: { deviceCode } }),
      ),
    /** `POST /v1/session/refresh`: a new session secret and refresh secret (the old ones die). */
    refresh: async (refresh: string) =>
      parseJson<CliSession>(
        await call({ method: 'POST', path: '/v1/session/refresh', json: { refresh } }),
      ),
    /** `DELETE /v1/session`: ends the caller's session on the server. */
    signOut: async () => {
      await call({ method: 'DELETE', path: '/v1/session' })
    },
  }
}
