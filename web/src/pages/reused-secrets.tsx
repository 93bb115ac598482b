import type { MatrixCell } from '../lib/compare.ts'
import { reusedSecrets, type MatrixRow } from '../lib/compare.ts'

/** The warning inside a matrix cell: which other environments hold this secret's very value. */
export function SameValueWarning({ cell }: { cell: MatrixCell }) {
  if (cell.sameAs === undefined) return null
  const others = cell.sameAs.join(', ')
  return (
    <span
      className="reuse"
      title={`This secret has the same value in ${others}: give each environment its own`}
    >
      <span aria-hidden="true">⚠</span>
      <span className="visually-hidden">Warning:</span> same value as {others}
    </span>
  )
}

/**
 * The secrets shared by several environments (a production secret reused in staging), by name.
 * The server compared them; no value or preview is ever in the page.
 */
export function ReusedSecrets({ rows }: { rows: readonly MatrixRow[] }) {
  const reused = reusedSecrets(rows)
  if (reused.length === 0) return null
  return (
    <section className="alert alert-warn" aria-labelledby="reused-title">
      <h2 id="reused-title">
        <span aria-hidden="true">⚠ </span>Secrets reused across environments
      </h2>
      <p>
        {reused.length === 1 ? 'This secret has' : 'These secrets have'} the same value in several
        environments: if it leaks from one (a staging server, a preview), the others leak with it.
        Give each environment its own value.
      </p>
      <ul>
        {reused.map((r) => (
          <li key={r.key}>
            <code>{r.key}</code>: {r.envs.join(', ')}
          </li>
        ))}
      </ul>
    </section>
  )
}
