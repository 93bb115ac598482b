import type { ReactNode } from 'react'
import type { Route } from '../lib/router.ts'
import { useSession } from '../session.tsx'
import { Link } from './link.tsx'

const SECTIONS: Array<{ href: string; label: string; match: Route['page'][] }> = [
  { href: '/', label: 'Projects', match: ['projects', 'project', 'env', 'compare'] },
  { href: '/audit', label: 'Audit log', match: ['audit'] },
  { href: '/tokens', label: 'Tokens', match: ['tokens'] },
]

/** The frame of every signed-in page: skip link, navigation, who is signed in, sign-out. */
export function Layout({ route, children }: { route: Route; children: ReactNode }) {
  const { me, nameOf, signOut } = useSession()
  const who = me.memberId === null ? `service token ${me.tokenId}` : nameOf(me.memberId)
  return (
    <>
      <a className="skip" href="#main">
        Skip to content
      </a>
      <header className="topbar">
        <Link href="/" className="brand">
          <svg viewBox="0 0 32 32" width="22" height="22" aria-hidden="true">
            <rect width="32" height="32" rx="6" fill="currentColor" />
            <rect x="9" y="14" width="14" height="11" rx="2" fill="#fff" />
            <path d="M12 14v-3a4 4 0 0 1 8 0v3" fill="none" stroke="#fff" strokeWidth="2.5" />
          </svg>
          Tresor
        </Link>
        <nav aria-label="Sections">
          <ul>
            {SECTIONS.map((s) => (
              <li key={s.href}>
                <Link
                  href={s.href}
                  aria-current={s.match.includes(route.page) ? 'page' : undefined}
                >
                  {s.label}
                </Link>
              </li>
            ))}
          </ul>
        </nav>
        <div className="whoami">
          <span title={`Scopes: ${me.scopes.join(', ')}`}>
            {who}
            {me.role !== null && <span className="muted"> · {me.role}</span>}
          </span>
          <button type="button" className="link-button" onClick={signOut}>
            Sign out
          </button>
        </div>
      </header>
      {children}
    </>
  )
}
