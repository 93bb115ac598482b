/** A short, readable local time such as `29 Nov 2025, 09:14`; the full ISO time goes in a title. */
export function shortTime(iso: string | null | undefined): string {
  if (iso === null || iso === undefined || iso === '') return '—'
  const d = new Date(iso)
  if (Number.isNaN(d.getTime())) return iso
  return d.toLocaleString(undefined, {
    day: 'numeric',
    month: 'short',
    year: 'numeric',
    hour: '2-digit',
    minute: '2-digit',
  })
}

/** `3 minutes ago`, `2 days ago`, or the short time past a month. */
export function relativeTime(iso: string | null | undefined, now = Date.now()): string {
  if (iso === null || iso === undefined || iso === '') return '—'
  const then = new Date(iso).getTime()
  if (Number.isNaN(then)) return iso
  const s = Math.max(0, Math.round((now - then) / 1000))
  const ago = (n: number, unit: string) => `${n} ${unit}${n === 1 ? '' : 's'} ago`
  if (s < 45) return 'just now'
  if (s < 45 * 60) return ago(Math.max(1, Math.round(s / 60)), 'minute')
  if (s < 22 * 3600) return ago(Math.round(s / 3600), 'hour')
  if (s < 30 * 86_400) return ago(Math.max(1, Math.round(s / 86_400)), 'day')
  return shortTime(iso)
}
