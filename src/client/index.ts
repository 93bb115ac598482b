/** The typed Tresor API client: createClient plus its error and transport types. */
export { createClient, type TresorClient } from './client.ts'
export { ApiError, isApiError } from './errors.ts'
export { normalizeBaseUrl, type ClientOptions } from './request.ts'
export {
  fetchTransport,
  TransportError,
  type Transport,
  type TransportFailure,
  type TransportRequest,
  type TransportResponse,
} from './transport.ts'
export type { EventStreamOptions, EventSubscription } from './event-stream.ts'
export type { SseEvent } from './sse-parser.ts'
export type * from './types.ts'
export type { Addon, AddonList, AddonWriteResult, AttachAddonBody } from './addons-api.ts'
