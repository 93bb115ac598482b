import { useId, useRef, useState, type FormEvent } from 'react'
import type { Var } from '../api/types.ts'
import { ErrorBox } from '../components/error-box.tsx'
import { SecretInput } from '../components/secret-input.tsx'
import { explainKey, isSystemName } from '../lib/key-rule.ts'
import { useSession } from '../session.tsx'

interface Props {
  project: string
  env: string
  existing: Var[]
  onSaved: (message: string) => void
  onCancel: () => void
}

/** What is wrong with a key as typed (blocking), or a note about it (not blocking). */
function checkKey(key: string, existing: Var[]): { error?: string; note?: string } {
  if (key === '') return {}
  const why = explainKey(key)
  if (why !== undefined) return { error: why.replace(/^key/, 'The key') }
  const found = existing.find((v) => v.key === key)
  if (isSystemName(key) || found?.system === true)
    return { error: `${key} is a system variable: Tresor sets it at release time` }
  if (found !== undefined) return { note: `${key} exists; saving replaces its value` }
  return {}
}

/** The Add Variable form: key checked as it is typed, value masked, kind chosen. */
export function AddVariable({ project, env, existing, onSaved, onCancel }: Props) {
  const { api } = useSession()
  const id = useId()
  const value = useRef<HTMLInputElement>(null)
  const [key, setKey] = useState('')
  const [kind, setKind] = useState<'config' | 'secret'>('secret')
  const [error, setError] = useState<unknown>(undefined)
  const [busy, setBusy] = useState(false)
  const check = checkKey(key, existing)

  const submit = (e: FormEvent) => {
    e.preventDefault()
    if (key === '' || check.error !== undefined) return
    setBusy(true)
    api.setVar(project, env, { key, value: value.current?.value ?? '', kind }).then(
      (r) => {
        const warnings = r.warnings.length > 0 ? ` ${r.warnings.join(' ')}` : ''
        onSaved(`Saved ${r.key} (${r.kind}). Redeploy to apply.${warnings}`)
      },
      (err: unknown) => {
        setBusy(false)
        setError(err)
      },
    )
  }

  return (
    <form className="card panel" onSubmit={submit} aria-labelledby={`${id}-title`}>
      <h3 id={`${id}-title`}>Add Variable</h3>
      <div className="field">
        <label htmlFor={`${id}-key`}>Key</label>
        <input
          id={`${id}-key`}
          value={key}
          onChange={(e) => setKey(e.target.value)}
          autoFocus
          autoComplete="off"
          autoCapitalize="characters"
          spellCheck={false}
          placeholder="SECRET_KEY"
          aria-invalid={check.error !== undefined}
          aria-describedby={`${id}-key-hint`}
        />
        <p
          id={`${id}-key-hint`}
          className={check.error === undefined ? 'hint' : 'hint error-text'}
          aria-live="polite"
        >
          {check.error ?? check.note ?? 'Letters, digits, _ . - ; starting with a letter or _'}
        </p>
      </div>
      <SecretInput label="Value" inputRef={value} name="value" />
      <fieldset className="field kind">
        <legend>Kind</legend>
        {(['secret', 'config'] as const).map((k) => (
          <label key={k} className="radio">
            <input
              type="radio"
              name={`${id}-kind`}
              value={k}
              checked={kind === k}
              onChange={() => setKind(k)}
            />
            {k === 'secret'
              ? 'Secret: write-only, shown masked'
              : 'Config: readable, shown in full'}
          </label>
        ))}
      </fieldset>
      <ErrorBox error={error} title="Not saved" />
      <div className="actions">
        <button
          type="submit"
          className="primary"
          disabled={busy || key === '' || check.error !== undefined}
        >
          {busy ? 'Saving…' : 'Save'}
        </button>
        <button type="button" onClick={onCancel}>
          Cancel
        </button>
      </div>
    </form>
  )
}
