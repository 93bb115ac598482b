import { isApiError } from '../../../src/client/errors.ts'

/** The message of any failure, in words; API problems keep their code. */
export function messageOf(err: unknown): string {
  if (isApiError(err)) return err.message
  return err instanceof Error ? err.message : 'Something went wrong'
}

/**
 * A failed request: the server's message, each detail with its line or key (never a value, the
 * server guarantees it), and the request id to quote when asking an operator.
 */
export function ErrorBox({ error, title }: { error: unknown; title?: string }) {
  if (error === undefined || error === null) return null
  const details = isApiError(error) ? error.errors : []
  const requestId = isApiError(error) ? error.requestId : undefined
  return (
    <div className="alert alert-error" role="alert">
      <strong>{title ?? 'Error'}: </strong>
      {messageOf(error)}
      {details.length > 0 && (
        <ul>
          {details.map((d, i) => (
            <li key={i}>
              {d.line !== undefined && <span className="where">line {d.line}: </span>}
              {d.key !== undefined && <code>{d.key}</code>}
              {d.key !== undefined && ': '}
              {d.message}
            </li>
          ))}
        </ul>
      )}
      {requestId !== undefined && <p className="muted small">Request {requestId}</p>}
    </div>
  )
}
