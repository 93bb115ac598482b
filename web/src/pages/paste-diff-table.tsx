import { KindBadge } from '../components/kind-badge.tsx'
import type { PasteRow } from '../lib/paste-diff.ts'

const LABELS: Record<PasteRow['status'], string> = {
  added: 'added',
  changed: 'changed',
  unchanged: 'unchanged',
  kept: 'kept (masked value)',
  removed: 'removed',
  refused: 'refused',
}

/** The preview of a paste: per key, what happens, before and after (secrets masked). */
export function PasteDiffTable({ rows, summary }: { rows: PasteRow[]; summary: string }) {
  return (
    <table className="diff">
      <caption>Preview: {summary || 'nothing changes'}</caption>
      <thead>
        <tr>
          <th scope="col">Change</th>
          <th scope="col">Key</th>
          <th scope="col">Kind</th>
          <th scope="col">Before</th>
          <th scope="col">After</th>
        </tr>
      </thead>
      <tbody>
        {rows.map((r) => (
          <tr key={r.key} className={`diff-${r.status}`}>
            <td data-label="Change">
              <span className={`status status-${r.status}`}>{LABELS[r.status]}</span>
            </td>
            <th scope="row" data-label="Key">
              <code>{r.key}</code>
              {r.line !== undefined && <span className="muted small"> line {r.line}</span>}
            </th>
            <td data-label="Kind">
              <KindBadge kind={r.kind} />
            </td>
            <td data-label="Before">{r.before === undefined ? '—' : <code>{r.before}</code>}</td>
            <td data-label="After">
              {r.status === 'removed' ? (
                '—'
              ) : r.after === undefined ? (
                '(unchanged)'
              ) : (
                <code>{r.after}</code>
              )}
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  )
}
