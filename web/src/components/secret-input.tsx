import { useId, useState, type RefObject } from 'react'

interface Props {
  label: string
  inputRef: RefObject<HTMLInputElement | null>
  name?: string
  autoFocus?: boolean
  placeholder?: string
  required?: boolean
  /** Shown under the field, e.g. why it is empty when editing a secret. */
  hint?: string
}

/**
 * A value field, masked until the eye is pressed. Uncontrolled on purpose: React writes a
 * controlled input's value into its `value` attribute, which would put the secret in the page's
 * HTML; the typed text stays in the field's live value only and is read through `inputRef`.
 */
export function SecretInput(props: Props) {
  const id = useId()
  const [shown, setShown] = useState(false)
  return (
    <div className="field">
      <label htmlFor={id}>{props.label}</label>
      <div className="with-button">
        <input
          id={id}
          ref={props.inputRef}
          name={props.name}
          type={shown ? 'text' : 'password'}
          autoComplete="off"
          autoCapitalize="off"
          spellCheck={false}
          autoFocus={props.autoFocus}
          placeholder={props.placeholder}
          required={props.required}
          aria-describedby={props.hint === undefined ? undefined : `${id}-hint`}
        />
        <button
          type="button"
          className="icon-button"
          aria-pressed={shown}
          aria-label={shown ? 'Hide value' : 'Show value'}
          title={shown ? 'Hide value' : 'Show value'}
          onClick={() => setShown((s) => !s)}
        >
          {shown ? <EyeOff /> : <Eye />}
        </button>
      </div>
      {props.hint !== undefined && (
        <p id={`${id}-hint`} className="hint">
          {props.hint}
        </p>
      )}
    </div>
  )
}

function Eye() {
  return (
    <svg viewBox="0 0 24 24" width="18" height="18" aria-hidden="true">
      <path
        d="M1 12s4-7 11-7 11 7 11 7-4 7-11 7S1 12 1 12z"
        fill="none"
        stroke="currentColor"
        strokeWidth="2"
      />
      <circle cx="12" cy="12" r="3" fill="none" stroke="currentColor" strokeWidth="2" />
    </svg>
  )
}

function EyeOff() {
  return (
    <svg viewBox="0 0 24 24" width="18" height="18" aria-hidden="true">
      <path
        d="M1 12s4-7 11-7 11 7 11 7-4 7-11 7S1 12 1 12z"
        fill="none"
        stroke="currentColor"
        strokeWidth="2"
      />
      <path d="M3 3l18 18" stroke="currentColor" strokeWidth="2" />
    </svg>
  )
}
