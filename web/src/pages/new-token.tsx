import { useId, useState, type FormEvent } from 'react'
import { ALL_SCOPES, type CreatedToken, type Scope } from '../api/types.ts'
import { ErrorBox } from '../components/error-box.tsx'
import { useSession } from '../session.tsx'

const TTL = /^\d+[smhdw]$/

/** The form that creates a personal token with chosen scopes and lifetime. */
export function NewToken({
  onCreated,
}: {
  onCreated: (t: CreatedToken & { name: string }) => void
}) {
  const { api } = useSession()
  const id = useId()
  const [name, setName] = useState('')
  const [ttl, setTtl] = useState('30d')
  const [scopes, setScopes] = useState<Set<Scope>>(new Set(['read']))
  const [error, setError] = useState<unknown>(undefined)
  const toggle = (s: Scope) => {
    const next = new Set(scopes)
    if (next.has(s)) next.delete(s)
    else next.add(s)
    setScopes(next)
  }
  const valid = name.trim() !== '' && TTL.test(ttl) && scopes.size > 0
  const submit = (e: FormEvent) => {
    e.preventDefault()
    if (!valid) return
    api.createToken({ name: name.trim(), ttl, scopes: [...scopes] }).then((t) => {
      setName('')
      onCreated({ ...t, name: name.trim() })
    }, setError)
  }
  return (
    <form className="card panel" onSubmit={submit} aria-labelledby={`${id}-title`}>
      <h2 id={`${id}-title`}>Create a token</h2>
      <div className="row">
        <div className="field">
          <label htmlFor={`${id}-name`}>Name</label>
          <input
            id={`${id}-name`}
            value={name}
            onChange={(e) => setName(e.target.value)}
            placeholder="laptop CLI"
            maxLength={100}
          />
        </div>
        <div className="field">
          <label htmlFor={`${id}-ttl`}>Lifetime</label>
          <input
            id={`${id}-ttl`}
            value={ttl}
            onChange={(e) => setTtl(e.target.value)}
            aria-invalid={!TTL.test(ttl)}
            aria-describedby={`${id}-ttl-hint`}
          />
          <p id={`${id}-ttl-hint`} className={TTL.test(ttl) ? 'hint' : 'hint error-text'}>
            A number and s, m, h, d or w: 30d, 12h
          </p>
        </div>
      </div>
      <fieldset className="field">
        <legend>Scopes</legend>
        {ALL_SCOPES.map((s) => (
          <label key={s} className="checkbox">
            <input type="checkbox" checked={scopes.has(s)} onChange={() => toggle(s)} />
            <code>{s}</code>
          </label>
        ))}
      </fieldset>
      <ErrorBox error={error} title="Not created" />
      <button type="submit" className="primary" disabled={!valid}>
        Create token
      </button>
    </form>
  )
}
