import { useCallback, useEffect, useMemo, useState } from 'react'
import { createApi } from './api/client.ts'
import {
  closeSession,
  openSession,
  resumeSession,
  ssoEnabled,
  type BrowserSession,
} from './api/session.ts'
import type { Member, Whoami } from './api/types.ts'
import { Layout } from './components/layout.tsx'
import { useRoute, type Route } from './lib/router.ts'
import { AuditPage } from './pages/audit.tsx'
import { ComparePage } from './pages/compare.tsx'
import { EnvPage } from './pages/env.tsx'
import { ProjectPage } from './pages/project.tsx'
import { ProjectsPage } from './pages/projects.tsx'
import { SignIn } from './pages/sign-in.tsx'
import { TokensPage } from './pages/tokens.tsx'
import { SessionContext, type Session } from './session.tsx'

interface SignedIn {
  session: BrowserSession
  me: Whoami
}

// Why an SSO sign-in came back refused (the server redirects to /?sso_error=CODE).
const SSO_ERRORS: Record<string, string> = {
  denied:
    'Single sign-on refused you: your account or its email domain may not use this workspace.',
  failed: 'Single sign-on failed: the identity provider’s answer could not be verified. Try again.',
  unavailable: 'Single sign-on is not available right now. Sign in with a token instead.',
}

function ssoNotice(): string | undefined {
  const code = new URLSearchParams(window.location.search).get('sso_error')
  return code === null ? undefined : (SSO_ERRORS[code] ?? SSO_ERRORS.failed)
}

function Page({ route }: { route: Route }) {
  switch (route.page) {
    case 'projects':
      return <ProjectsPage />
    case 'project':
      return <ProjectPage project={route.project} />
    case 'env':
      return <EnvPage key={`${route.project}/${route.env}`} {...route} />
    case 'compare':
      return <ComparePage project={route.project} />
    case 'audit':
      return <AuditPage />
    case 'tokens':
      return <TokensPage />
    default:
      return (
        <main id="main" className="page">
          <h1>Page not found</h1>
          <p>Nothing lives at this address. Pick a project from the list.</p>
        </main>
      )
  }
}

/** Signs in (or resumes this tab's session), then routes to the page of the URL. */
export function App() {
  const route = useRoute()
  const [signedIn, setSignedIn] = useState<SignedIn | undefined>(undefined)
  const [resuming, setResuming] = useState(true)
  const [sso, setSso] = useState(false)
  const [members, setMembers] = useState<Member[]>([])
  const [notice, setNotice] = useState<string | undefined>(ssoNotice)

  const enter = useCallback(async (session: BrowserSession) => {
    const me = await createApi(session.csrfToken).whoami()
    setNotice(undefined)
    setSignedIn({ session, me })
  }, [])
  const signIn = useCallback(async (token: string) => enter(await openSession(token)), [enter])
  const signOut = useCallback(() => {
    if (signedIn !== undefined) void closeSession(signedIn.session)
    setSignedIn(undefined)
  }, [signedIn])
  const expired = useCallback(() => {
    setNotice('Your session ended: the token was revoked or has expired. Sign in again.')
    setSignedIn(undefined)
  }, [])

  useEffect(() => {
    // The HttpOnly cookie cannot be seen from here: ask the server whether it names a session.
    resumeSession()
      .then((session) => (session === undefined ? undefined : enter(session)))
      .catch(() => undefined)
      .finally(() => setResuming(false))
    void ssoEnabled().then(setSso)
  }, [enter])

  const api = useMemo(
    () => signedIn && createApi(signedIn.session.csrfToken, { onUnauthenticated: expired }),
    [signedIn, expired],
  )
  useEffect(() => {
    // Names make authors readable; a token that may not list members just shows ids.
    api?.members().then(setMembers, () => setMembers([]))
  }, [api])

  const session = useMemo<Session | undefined>(() => {
    if (signedIn === undefined || api === undefined) return undefined
    const names = new Map(members.map((m) => [m.id, m.name !== '' ? m.name : m.email]))
    return {
      api,
      me: signedIn.me,
      nameOf: (id) => names.get(id) ?? id,
      signOut,
    }
  }, [signedIn, api, members, signOut])

  if (resuming) return <p className="page muted">Loading…</p>
  if (session === undefined) return <SignIn onSignIn={signIn} notice={notice} sso={sso} />
  return (
    <SessionContext.Provider value={session}>
      <Layout route={route}>
        <Page route={route} />
      </Layout>
    </SessionContext.Provider>
  )
}
