// The soak's comparison table: PostgreSQL replicas and embedded SQLite side by side, per
// operation (requests/s, p50, p99, errors), then the fault and verification counters.
import { OPS, type LoadResult, type Op } from './types.ts'
import type { Verdict } from './verify.ts'

/** The nearest-rank percentile `p` (0–100) of `values`, NaN when empty. */
export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) return NaN
  const sorted = [...values].sort((a, b) => a - b)
  const rank = Math.min(sorted.length, Math.max(1, Math.ceil((p / 100) * sorted.length)))
  return sorted[rank - 1] ?? NaN
}

export interface Phase {
  title: string
  load: LoadResult
  verdict: Verdict
}

const num = (n: number, digits = 1) => (Number.isFinite(n) ? n.toFixed(digits) : '-')
const cell = (cols: string[]) => cols.map((c, i) => c.padStart(i === 0 ? 8 : 9)).join('')

function opCells(load: LoadResult, op: Op | 'all'): string[] {
  const secs = load.elapsedMs / 1000
  const stats = op === 'all' ? OPS.map((o) => load.ops[o]) : [load.ops[op]]
  const ms = stats.flatMap((s) => s.ms)
  const errors = stats.reduce((n, s) => n + s.errors, 0)
  return [num(ms.length / secs), num(percentile(ms, 50)), num(percentile(ms, 99)), String(errors)]
}

const counters = (p: Phase): [string, string][] => {
  const l = p.load
  return [
    ['412 asked (stale If-Match)', String(l.ops['put-stale'].precondition)],
    ['412 met in races, retried', String(l.ops['put-if-match'].precondition)],
    ['If-Match writes given up', String(l.gaveUp)],
    ['requests failed over', String(l.failovers)],
    ['503 in the outage, sent again', String(l.unavailableAt.length)],
    ['acknowledged keys verified', String(p.verdict.keysChecked)],
    ['secrets revealed at the end', String(p.verdict.secretsRevealed)],
    ['audit events verified', String(p.verdict.auditEvents)],
    ['problems at the end', String(p.verdict.problems.length)],
  ]
}

/** The side-by-side table as lines of text. */
export function formatTable(phases: Phase[]): string[] {
  const width = 4 * 9
  const lines = [
    `${''.padEnd(28)}${phases.map((p) => `  ${p.title.slice(0, width).padEnd(width)}`).join('')}`,
    `${'operation'.padEnd(28)}${phases.map(() => `  ${cell(['req/s', 'p50 ms', 'p99 ms', 'errors']).padStart(width)}`).join('')}`,
  ]
  for (const op of [...OPS, 'all'] as const) {
    lines.push(
      `${op.padEnd(28)}${phases.map((p) => `  ${cell(opCells(p.load, op)).padStart(width)}`).join('')}`,
    )
  }
  lines.push('')
  const rows = phases.map(counters)
  for (const [i, [label]] of (rows[0] ?? []).entries()) {
    lines.push(
      `${label.padEnd(28)}${rows.map((r) => `  ${(r[i]?.[1] ?? '').padStart(width)}`).join('')}`,
    )
  }
  return lines
}
