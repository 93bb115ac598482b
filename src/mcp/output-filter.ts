// The last step of every tool result (defence in depth). Tools never receive a secret value (the
// API lists secrets as previews and no tool reveals), but whatever a tool returns still passes
// here: previews are dropped, secret values hidden, credential-shaped text redacted.
import { credentialIn, redactCredentials } from '../core/credentials.ts'

type Json = string | number | boolean | null | undefined | Json[] | { [k: string]: Json }

function filterObject(obj: Record<string, unknown>): Record<string, Json> {
  const out: Record<string, Json> = {}
  const secret = obj.kind === 'secret'
  for (const [k, v] of Object.entries(obj)) {
    if (k === 'preview') continue
    if (k === 'value' && secret) {
      out.valueHidden = 'secret values are never shown to agents'
      continue
    }
    if (k === 'value' && typeof v === 'string' && credentialIn(v) !== undefined) {
      out.valueHidden = 'looks like a credential; not shown to agents'
      continue
    }
    out[k] = filterOutput(v)
  }
  return out
}

/** A copy of `data` that is safe to hand to an agent. */
export function filterOutput(data: unknown): Json {
  if (typeof data === 'string') return redactCredentials(data)
  if (Array.isArray(data)) return data.map(filterOutput)
  if (data !== null && typeof data === 'object')
    return filterObject(data as Record<string, unknown>)
  if (typeof data === 'number' || typeof data === 'boolean') return data
  return data === null ? null : undefined
}
