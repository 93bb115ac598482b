import { useCallback, useEffect, useMemo, useState } from 'react'
import { createApi } from './api/client.ts'
import { clearToken, loadToken, saveToken } from './api/session.ts'
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
  token: string
  me: Whoami
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
  const [resuming, setResuming] = useState(() => loadToken() !== undefined)
  const [members, setMembers] = useState<Member[]>([])
  const [notice, setNotice] = useState<string | undefined>(undefined)

  const signIn = useCallback(async (token: string) => {
    const me = await createApi(token).whoami()
    saveToken(token)
    setNotice(undefined)
    setSignedIn({ token, me })
  }, [])
  const signOut = useCallback(() => {
    clearToken()
    setSignedIn(undefined)
  }, [])
  const expired = useCallback(() => {
    setNotice('Your session ended: the token was revoked or has expired. Sign in again.')
    signOut()
  }, [signOut])

  useEffect(() => {
    const token = loadToken()
    if (token === undefined) return
    signIn(token)
      .catch(() => clearToken())
      .finally(() => setResuming(false))
  }, [signIn])

  const api = useMemo(
    () => signedIn && createApi(signedIn.token, { onUnauthenticated: expired }),
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
      token: signedIn.token,
      me: signedIn.me,
      nameOf: (id) => names.get(id) ?? id,
      signOut,
    }
  }, [signedIn, api, members, signOut])

  if (resuming) return <p className="page muted">Loading…</p>
  if (session === undefined) return <SignIn onSignIn={signIn} notice={notice} />
  return (
    <SessionContext.Provider value={session}>
      <Layout route={route}>
        <Page route={route} />
      </Layout>
    </SessionContext.Provider>
  )
}
