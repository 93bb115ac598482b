import type { Diff } from '../api/types.ts'
import { KindBadge } from './kind-badge.tsx'

/** A masked diff from the server: key names, config values before and after, never a secret. */
export function DiffView({ diff }: { diff: Diff }) {
  const empty = diff.added.length + diff.removed.length + diff.changed.length === 0
  if (empty) return <p className="muted small">No variable changed (comments or order only).</p>
  return (
    <ul className="diff-list">
      {diff.added.map((a) => (
        <li key={`+${a.key}`} className="diff-added">
          <span className="status status-added">added</span> <code>{a.key}</code>{' '}
          <KindBadge kind={a.kind} />
          {a.value !== undefined && (
            <>
              {' = '}
              <code>{a.value}</code>
            </>
          )}
        </li>
      ))}
      {diff.changed.map((c) => (
        <li key={`~${c.key}`} className="diff-changed">
          <span className="status status-changed">changed</span> <code>{c.key}</code>{' '}
          <KindBadge kind={c.kind} />
          {c.before !== undefined || c.after !== undefined ? (
            <>
              {' '}
              <code>{c.before ?? '—'}</code> → <code>{c.after ?? '—'}</code>
            </>
          ) : (
            <span className="muted"> value changed (secret, not shown)</span>
          )}
          {c.kindChanged === true && <span className="muted"> · kind changed</span>}
        </li>
      ))}
      {diff.removed.map((r) => (
        <li key={`-${r.key}`} className="diff-removed">
          <span className="status status-removed">removed</span> <code>{r.key}</code>{' '}
          <KindBadge kind={r.kind} />
        </li>
      ))}
    </ul>
  )
}
