import { useState } from 'react'
import type { CreatedToken, TokenInfo } from '../api/types.ts'
import { Confirm } from '../components/confirm.tsx'
import { Chips } from '../components/chips.tsx'
import { ErrorBox } from '../components/error-box.tsx'
import { relativeTime, shortTime } from '../lib/format.ts'
import { useLoad } from '../lib/use-load.ts'
import { useSession } from '../session.tsx'
import { NewToken } from './new-token.tsx'
import { TokenOnce } from './token-once.tsx'

function state(t: TokenInfo): string {
  if (t.revokedAt !== null) return 'revoked'
  if (t.expiresAt !== null && new Date(t.expiresAt).getTime() < Date.now()) return 'expired'
  return 'active'
}

/** Tokens: create (the secret is shown once), list, revoke. */
export function TokensPage() {
  const { api, me } = useSession()
  const [tick, setTick] = useState(0)
  const tokens = useLoad(() => api.tokens(), [api, tick])
  const [created, setCreated] = useState<(CreatedToken & { name: string }) | undefined>(undefined)
  const [revoking, setRevoking] = useState<TokenInfo | undefined>(undefined)
  const [error, setError] = useState<unknown>(undefined)
  const revoke = (t: TokenInfo) => {
    setRevoking(undefined)
    api.revokeToken(t.id).then(() => setTick((n) => n + 1), setError)
  }
  const list = [...(tokens.data ?? [])].sort((a, b) => b.createdAt.localeCompare(a.createdAt))
  return (
    <main id="main" className="page">
      <h1>Tokens</h1>
      {created !== undefined ? (
        <TokenOnce token={created} onDone={() => setCreated(undefined)} />
      ) : (
        <NewToken
          onCreated={(t) => {
            setCreated(t)
            setTick((n) => n + 1)
          }}
        />
      )}
      <ErrorBox error={tokens.error ?? error} title="Tokens" />
      {list.length > 0 && (
        <table className="tokens">
          <thead>
            <tr>
              <th scope="col">Name</th>
              <th scope="col">Kind</th>
              <th scope="col">Scopes</th>
              <th scope="col">State</th>
              <th scope="col">Expires</th>
              <th scope="col">Last used</th>
              <th scope="col">
                <span className="visually-hidden">Actions</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {list.map((t) => (
              <tr key={t.id}>
                <th scope="row" data-label="Name">
                  {t.name} {t.id === me.tokenId && <span className="badge">this session</span>}
                </th>
                <td data-label="Kind">{t.kind === 'pat' ? 'personal' : 'service'}</td>
                <td data-label="Scopes">
                  <Chips items={t.scopes} label="Scopes" />
                </td>
                <td data-label="State">
                  <span className={`status status-${state(t)}`}>{state(t)}</span>
                </td>
                <td data-label="Expires" title={t.expiresAt ?? undefined}>
                  {shortTime(t.expiresAt)}
                </td>
                <td data-label="Last used">{relativeTime(t.lastUsedAt)}</td>
                <td className="row-actions">
                  {state(t) === 'active' && t.id !== me.tokenId && (
                    <button
                      type="button"
                      className="danger"
                      onClick={() => setRevoking(t)}
                      aria-label={`Revoke ${t.name}`}
                    >
                      Revoke
                    </button>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {revoking !== undefined && (
        <Confirm
          title={`Revoke ${revoking.name}?`}
          confirmLabel="Revoke"
          danger
          onConfirm={() => revoke(revoking)}
          onCancel={() => setRevoking(undefined)}
        >
          <p>Every request with this token fails from now on. This cannot be undone.</p>
        </Confirm>
      )}
    </main>
  )
}
