import { createHmac, timingSafeEqual } from 'node:crypto'
import { AppError } from '../../core/errors.ts'

/** What the CLI polls with: the provider's device code, its workspace, deadline and pace. */
export interface DeviceHandle {
  workspaceId: string
  deviceCode: string
  /** Unix ms after which the provider no longer honours the device code. */
  exp: number
  /** Seconds between polls the provider asked for (RFC 8628 `interval`). */
  interval: number
}

const mac = (pepper: Buffer, body: string) =>
  createHmac('sha256', pepper).update('tresor.device.v1\0').update(body).digest('base64url')

/**
 * The opaque `deviceCode` Tresor hands the CLI: the handle as base64url JSON, then an HMAC under
 * the pepper, so a poll names only a device authorization this server started (and its
 * workspace cannot be swapped).
 */
export function encodeDeviceHandle(pepper: Buffer, h: DeviceHandle): string {
  const body = Buffer.from(
    JSON.stringify({ w: h.workspaceId, d: h.deviceCode, e: h.exp, i: h.interval }),
  ).toString('base64url')
  return `${body}.${mac(pepper, body)}`
}

/** The handle, or VALIDATION_FAILED naming `deviceCode` when this server did not issue it. */
export function decodeDeviceHandle(pepper: Buffer, text: string): DeviceHandle {
  const unknown = () =>
    new AppError('VALIDATION_FAILED', 'deviceCode is not one this server issued', [
      { field: 'deviceCode', message: 'unknown: start again with POST /v1/sso/device' },
    ])
  const [body, tag, extra] = text.split('.')
  if (body === undefined || tag === undefined || extra !== undefined) throw unknown()
  const want = Buffer.from(mac(pepper, body))
  const got = Buffer.from(tag)
  if (want.length !== got.length || !timingSafeEqual(want, got)) throw unknown()
  const p = JSON.parse(Buffer.from(body, 'base64url').toString('utf8')) as Record<string, unknown>
  if (
    typeof p.w !== 'string' ||
    typeof p.d !== 'string' ||
    typeof p.e !== 'number' ||
    typeof p.i !== 'number'
  )
    throw unknown()
  return { workspaceId: p.w, deviceCode: p.d, exp: p.e, interval: p.i }
}

/** RFC 8628 §3.5: each `slow_down` adds 5 seconds to the interval, for good. */
export const SLOW_DOWN_STEP_SECONDS = 5
// The CLI sleeps `interval` after each answer, so a well-behaved poll arrives later than that;
// a little slack keeps clock granularity from calling it too fast.
const SLACK_MS = 250
const MAX_TRACKED = 10_000

/**
 * Polling pace per device authorization (in memory, per replica: the provider still enforces
 * its own). A poll sooner than the interval is answered `slow_down` without asking the
 * provider, and the interval grows by 5 s for that device from then on.
 */
export function createDevicePace() {
  const seen = new Map<string, { next: number; interval: number; exp: number }>()

  function prune(now: number) {
    for (const [k, v] of seen) if (v.exp <= now) seen.delete(k)
    // A flood of distinct handles must not grow memory without bound: drop the oldest.
    while (seen.size >= MAX_TRACKED) {
      const first = seen.keys().next().value
      if (first === undefined) break
      seen.delete(first)
    }
  }

  /** `{ ok: true }` to go ahead (poll the provider), else the new interval to tell the client. */
  function check(key: string, h: DeviceHandle, now: number): { ok: boolean; interval: number } {
    const entry = seen.get(key)
    if (entry === undefined) {
      prune(now)
      seen.set(key, { next: now + h.interval * 1000 - SLACK_MS, interval: h.interval, exp: h.exp })
      return { ok: true, interval: h.interval }
    }
    if (now < entry.next) {
      entry.interval += SLOW_DOWN_STEP_SECONDS
      entry.next = now + entry.interval * 1000 - SLACK_MS
      return { ok: false, interval: entry.interval }
    }
    entry.next = now + entry.interval * 1000 - SLACK_MS
    return { ok: true, interval: entry.interval }
  }

  /** The provider said slow_down itself: grow this device's interval as RFC 8628 says. */
  function slowDown(key: string, now: number): number {
    const entry = seen.get(key)
    if (entry === undefined) return SLOW_DOWN_STEP_SECONDS
    entry.interval += SLOW_DOWN_STEP_SECONDS
    entry.next = now + entry.interval * 1000 - SLACK_MS
    return entry.interval
  }

  return { check, slowDown, forget: (key: string) => seen.delete(key) }
}
