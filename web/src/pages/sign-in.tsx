import { useRef, useState, type FormEvent } from 'react'
import { isApiError } from '../../../src/client/errors.ts'
import { ErrorBox } from '../components/error-box.tsx'
import { SecretInput } from '../components/secret-input.tsx'

/** Sign-in with a token, and where to find the owner's first token on a new server. */
export function SignIn(props: {
  onSignIn: (token: string) => Promise<void>
  notice?: string | undefined
  /** The workspace has an identity provider: offer "Sign in with SSO" first. */
  sso?: boolean
}) {
  const { onSignIn, notice, sso = false } = props
  const input = useRef<HTMLInputElement>(null)
  const [error, setError] = useState<unknown>(undefined)
  const [busy, setBusy] = useState(false)

  const submit = (e: FormEvent) => {
    e.preventDefault()
    const token = input.current?.value.trim() ?? ''
    if (token === '') {
      setError(new Error('Paste a token to sign in'))
      return
    }
    setBusy(true)
    onSignIn(token).then(
      () => undefined,
      (err: unknown) => {
        setBusy(false)
        setError(
          isApiError(err, 'UNAUTHENTICATED')
            ? new Error('That token was not accepted: it is unknown, expired or revoked')
            : err,
        )
      },
    )
  }

  return (
    <main id="main" className="sign-in">
      <h1>Sign in to Tresor</h1>
      {notice !== undefined && (
        <p className="alert alert-error" role="status">
          {notice}
        </p>
      )}
      {sso && (
        <section className="card" aria-labelledby="sso-title">
          <h2 id="sso-title">Single sign-on</h2>
          {/* A full-page navigation: the identity provider's pages open, then come back here. */}
          <a className="button" href="/v1/sso/login">
            Sign in with SSO
          </a>
        </section>
      )}
      <form onSubmit={submit} className="card" aria-describedby="token-note">
        <SecretInput label="Token" inputRef={input} name="token" autoFocus required />
        <p id="token-note" className="hint">
          A personal token (<code>tresor_pat_…</code>), for break-glass access. It is sent once to
          open a session (an HttpOnly cookie) and not kept by this page.
        </p>
        <ErrorBox error={error} title="Sign-in failed" />
        <button type="submit" className="primary" disabled={busy}>
          {busy ? 'Signing in…' : 'Sign in'}
        </button>
      </form>
      <section className="card first-run" aria-labelledby="first-run">
        <h2 id="first-run">First time here?</h2>
        <p>
          On its first start, Tresor creates the owner&apos;s token and writes it to the file{' '}
          <code>&lt;data dir&gt;/owner-token</code> (readable by the server&apos;s user only). The
          data directory is <code>./.tresor</code> unless <code>TRESOR_DATA_DIR</code> or{' '}
          <code>--data-dir</code> says otherwise, so on the server run:
        </p>
        <pre>
          <code>cat .tresor/owner-token</code>
        </pre>
        <p>
          If the server was first started with <code>TRESOR_BOOTSTRAP_TOKEN</code>, that value is
          the owner token and no file is written. Once signed in, create a personal token for every
          day use under <strong>Tokens</strong>, and keep the owner token offline.
        </p>
      </section>
    </main>
  )
}
