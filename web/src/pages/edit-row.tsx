import { useRef, useState, type FormEvent } from 'react'
import type { Var } from '../api/types.ts'
import { ErrorBox } from '../components/error-box.tsx'
import { SecretInput } from '../components/secret-input.tsx'
import { useSession } from '../session.tsx'

interface Props {
  project: string
  env: string
  v: Var
  onChanged: (message: string) => void
  onCancel: () => void
}

/**
 * A variable edited in place. A config value starts filled in (it is readable anyway); a secret's
 * field starts empty, since its value never reaches the page unless revealed.
 */
export function EditRow(props: Props) {
  const { project, env, v, onChanged, onCancel } = props
  const { api } = useSession()
  const input = useRef<HTMLInputElement>(null)
  const [kind, setKind] = useState<'config' | 'secret'>(v.kind === 'secret' ? 'secret' : 'config')
  const [error, setError] = useState<unknown>(undefined)
  const save = (e: FormEvent) => {
    e.preventDefault()
    const value = input.current?.value ?? ''
    api
      .setVar(project, env, { key: v.key, value, kind })
      .then(
        (r) =>
          onChanged(
            `Saved ${v.key}. Redeploy to apply.${r.warnings.length > 0 ? ` ${r.warnings.join(' ')}` : ''}`,
          ),
        setError,
      )
  }
  return (
    <tr className="editing">
      <th scope="row" data-label="Key">
        <code>{v.key}</code>
      </th>
      <td colSpan={4}>
        <form className="edit-form" onSubmit={save} aria-label={`Edit ${v.key}`}>
          {v.kind === 'secret' ? (
            <SecretInput
              label="New value"
              inputRef={input}
              autoFocus
              required
              hint="A secret's value is never shown; type the new one."
            />
          ) : (
            <div className="field">
              <label htmlFor={`edit-${v.key}`}>Value</label>
              <input
                id={`edit-${v.key}`}
                ref={input}
                defaultValue={v.value ?? ''}
                autoFocus
                autoComplete="off"
                spellCheck={false}
              />
            </div>
          )}
          <div className="field">
            <label htmlFor={`kind-${v.key}`}>Kind</label>
            <select
              id={`kind-${v.key}`}
              value={kind}
              onChange={(e) => setKind(e.target.value === 'secret' ? 'secret' : 'config')}
            >
              <option value="config">config</option>
              <option value="secret">secret</option>
            </select>
          </div>
          <div className="actions">
            <button type="submit" className="primary">
              Save
            </button>
            <button type="button" onClick={onCancel}>
              Cancel
            </button>
          </div>
          <ErrorBox error={error} title="Not saved" />
        </form>
      </td>
    </tr>
  )
}
