import { useRef, useState } from 'react'
import type { CreatedToken } from '../api/types.ts'
import { shortTime } from '../lib/format.ts'

/**
 * A new token, shown this one time with a copy button. It lives in this component's state only:
 * "Done" drops it, and the server keeps nothing but its hash.
 */
export function TokenOnce({
  token,
  onDone,
}: {
  token: CreatedToken & { name: string }
  onDone: () => void
}) {
  const [copied, setCopied] = useState<'yes' | 'failed' | undefined>(undefined)
  const field = useRef<HTMLInputElement>(null)
  const copy = () => {
    navigator.clipboard.writeText(token.token).then(
      () => setCopied('yes'),
      () => {
        // No clipboard access (an insecure origin, a denied permission): select it for Ctrl+C.
        field.current?.select()
        setCopied('failed')
      },
    )
  }
  return (
    <section className="card once" aria-labelledby="once-title">
      <h2 id="once-title">Token {token.name} created</h2>
      <p>Copy it now: it is shown only this once. It expires {shortTime(token.expiresAt)}.</p>
      <div className="with-button">
        <input
          ref={field}
          readOnly
          aria-label="The new token"
          className="mono"
          onFocus={(e) => e.target.select()}
          defaultValue={token.token}
        />
        <button type="button" className="primary" onClick={copy}>
          Copy
        </button>
      </div>
      <p className="status-line" role="status">
        {copied === 'yes'
          ? 'Copied to the clipboard.'
          : copied === 'failed'
            ? 'Copying is blocked here: the token is selected, press Ctrl+C.'
            : ''}
      </p>
      <button type="button" onClick={onDone}>
        Done, I have stored it
      </button>
    </section>
  )
}
