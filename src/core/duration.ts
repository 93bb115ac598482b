const UNIT_MS: Record<string, number> = {
  s: 1000,
  m: 60_000,
  h: 3_600_000,
  d: 86_400_000,
  w: 604_800_000,
}

/** Longest TTL accepted for anything Tresor issues: about ten years. */
export const MAX_TTL_MS = 3650 * UNIT_MS.d!

/**
 * Milliseconds of a TTL such as `30d`, `12h`, `15m`; undefined when malformed, zero or too long.
 * @example parseDuration('12h') // 43_200_000
 */
export function parseDuration(text: string): number | undefined {
  const m = /^(\d{1,6})([smhdw])$/.exec(text)
  if (!m) return undefined
  const ms = Number(m[1]) * (UNIT_MS[m[2] ?? ''] ?? 0)
  return ms > 0 && ms <= MAX_TTL_MS ? ms : undefined
}
