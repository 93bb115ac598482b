import { createContext, useContext } from 'react'
import type { Api } from './api/client.ts'
import type { Whoami } from './api/types.ts'

/** The signed-in state every page reads: the API over the session cookie, and who is signed in. */
export interface Session {
  api: Api
  me: Whoami
  /** A member's or token's display name by id (falls back to the id). */
  nameOf: (id: string) => string
  signOut: () => void
}

export const SessionContext = createContext<Session | undefined>(undefined)

/** The current session; pages render only inside a signed-in app. */
export function useSession(): Session {
  const session = useContext(SessionContext)
  if (session === undefined) throw new Error('useSession outside a signed-in app')
  return session
}
