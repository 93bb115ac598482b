// oidc-provider 8 ships no types (and @types/oidc-provider is not installed): the little the
// test provider uses.
declare module 'oidc-provider' {
  import type { IncomingMessage, ServerResponse } from 'node:http'
  interface ProviderClient {
    grantTypeAllowed(grant: string): boolean
  }
  interface ProviderAccount {
    accountId: string
    claims: () => Record<string, unknown>
  }
  // eslint-disable-next-line no-restricted-syntax
  export default class Provider {
    constructor(
      issuer: string,
      configuration: Record<string, unknown> & {
        findAccount?: (ctx: unknown, id: string) => Promise<ProviderAccount | undefined>
        issueRefreshToken?: (ctx: unknown, client: ProviderClient) => boolean
      },
    )
    callback(): (req: IncomingMessage, res: ServerResponse) => void
    on(event: string, listener: (...args: unknown[]) => void): this
  }
}
