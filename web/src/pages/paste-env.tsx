import { useId, useMemo, useState, type FormEvent } from 'react'
import type { VarList } from '../api/types.ts'
import { ErrorBox } from '../components/error-box.tsx'
import { previewDotenv } from '../lib/dotenv-preview.ts'
import { diffPaste, type PasteRow } from '../lib/paste-diff.ts'
import { useSession } from '../session.tsx'
import { PasteDiffTable } from './paste-diff-table.tsx'

interface Props {
  project: string
  env: string
  current: VarList
  onApplied: (message: string) => void
  onCancel: () => void
}

function summary(rows: PasteRow[]): string {
  const count = (s: PasteRow['status']) => rows.filter((r) => r.status === s).length
  const parts = [
    [count('added'), 'added'],
    [count('changed'), 'changed'],
    [count('removed'), 'removed'],
    [count('unchanged') + count('kept'), 'unchanged'],
  ] as const
  return parts
    .filter(([n]) => n > 0)
    .map(([n, what]) => `${n} ${what}`)
    .join(', ')
}

/**
 * Paste a .env: the parsed keys and the masked diff against the current variables, merge or
 * replace, then apply. The text area is uncontrolled so pasted values never enter the HTML.
 */
export function PasteEnv({ project, env, current, onApplied, onCancel }: Props) {
  const { api } = useSession()
  const id = useId()
  const [text, setText] = useState('')
  const [replace, setReplace] = useState(false)
  const [error, setError] = useState<unknown>(undefined)
  const [busy, setBusy] = useState(false)
  const preview = useMemo(() => previewDotenv(text), [text])
  const rows = useMemo(
    () => diffPaste(preview.entries, current.vars, replace),
    [preview.entries, current.vars, replace],
  )
  const refused = rows.filter((r) => r.status === 'refused')
  const blocked = text.trim() === '' || preview.problems.length > 0 || refused.length > 0

  const apply = (e: FormEvent) => {
    e.preventDefault()
    if (blocked) return
    setBusy(true)
    api.putDocument(project, env, text, replace, current.revision).then(
      () =>
        onApplied(
          `Applied the pasted .env: ${summary(rows) || 'nothing changed'}. Redeploy to apply.`,
        ),
      (err: unknown) => {
        setBusy(false)
        setError(err)
      },
    )
  }

  return (
    <form className="card panel" onSubmit={apply} aria-labelledby={`${id}-title`}>
      <h3 id={`${id}-title`}>Paste a .env</h3>
      <div className="field">
        <label htmlFor={`${id}-text`}>dotenv text</label>
        <textarea
          id={`${id}-text`}
          rows={8}
          spellCheck={false}
          autoComplete="off"
          onChange={(e) => setText(e.target.value)}
          placeholder={'# comments and blank lines are kept\nDATABASE_POOL=10\nAPI_KEY=… # secret'}
          aria-describedby={`${id}-text-hint`}
        />
        <p id={`${id}-text-hint`} className="hint">
          End a line with <code># secret</code> to store that key as a secret. Existing secrets stay
          secrets.
        </p>
      </div>
      <fieldset className="field kind">
        <legend>How to apply</legend>
        <label className="radio">
          <input
            type="radio"
            name={`${id}-mode`}
            checked={!replace}
            onChange={() => setReplace(false)}
          />
          Merge: set these keys, keep every other variable
        </label>
        <label className="radio">
          <input
            type="radio"
            name={`${id}-mode`}
            checked={replace}
            onChange={() => setReplace(true)}
          />
          Replace: the environment becomes exactly this text (other keys are removed)
        </label>
      </fieldset>
      {preview.problems.length > 0 && (
        <div className="alert alert-error" role="alert">
          <strong>The text cannot be read:</strong>
          <ul>
            {preview.problems.map((p, i) => (
              <li key={i}>
                <span className="where">line {p.line}:</span> {p.message}
              </li>
            ))}
          </ul>
        </div>
      )}
      {refused.length > 0 && (
        <p className="alert alert-error" role="alert">
          System variables cannot be set: remove{' '}
          {refused.map((r) => `${r.key} (line ${r.line ?? '?'})`).join(', ')}.
        </p>
      )}
      {rows.length > 0 && <PasteDiffTable rows={rows} summary={summary(rows)} />}
      <ErrorBox error={error} title="Not applied" />
      <div className="actions">
        <button type="submit" className="primary" disabled={blocked || busy}>
          {busy ? 'Applying…' : replace ? 'Replace variables' : 'Merge variables'}
        </button>
        <button type="button" onClick={onCancel}>
          Cancel
        </button>
      </div>
    </form>
  )
}
