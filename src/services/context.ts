import type { Actor } from '../core/actor.ts'

/** Who is asking and from where: every use-case takes one, every audit event records it. */
export interface RequestContext {
  readonly actor: Actor
  readonly ip?: string
  readonly requestId?: string
}

/** The clock services read; tests pass a fake one. */
export interface Clock {
  now(): Date
}

export const systemClock: Clock = { now: () => new Date() }
