import { useEffect, useState } from 'react'

/** The pages of the dashboard; URLs hold slugs only, never a value or a token. */
export type Route =
  | { page: 'projects' }
  | { page: 'project'; project: string }
  | { page: 'env'; project: string; env: string; tab: 'vars' | 'releases' | 'history' }
  | { page: 'compare'; project: string }
  | { page: 'audit' }
  | { page: 'tokens' }
  | { page: 'not-found' }

const TABS = ['vars', 'releases', 'history'] as const

/** The route of a path such as `/projects/myapp/envs/staging/releases`. */
export function parseRoute(path: string): Route {
  const parts = path
    .split('/')
    .filter((p) => p !== '')
    .map((p) => {
      try {
        return decodeURIComponent(p)
      } catch {
        return p
      }
    })
  const [a, project, b, env, tab, ...extra] = parts
  if (a === undefined) return { page: 'projects' }
  if (parts.length === 1 && (a === 'audit' || a === 'tokens')) return { page: a }
  if (a !== 'projects' || extra.length > 0) return { page: 'not-found' }
  if (project === undefined) return { page: 'projects' }
  if (b === undefined) return { page: 'project', project }
  if (b === 'compare' && env === undefined) return { page: 'compare', project }
  if (b !== 'envs' || env === undefined) return { page: 'not-found' }
  if (tab === undefined) return { page: 'env', project, env, tab: 'vars' }
  const known = TABS.find((t) => t === tab)
  return known === undefined ? { page: 'not-found' } : { page: 'env', project, env, tab: known }
}

const enc = encodeURIComponent

/** The path of a route: the inverse of parseRoute. */
export function pathOf(route: Route): string {
  switch (route.page) {
    case 'projects':
    case 'not-found':
      return '/'
    case 'project':
      return `/projects/${enc(route.project)}`
    case 'compare':
      return `/projects/${enc(route.project)}/compare`
    case 'env': {
      const base = `/projects/${enc(route.project)}/envs/${enc(route.env)}`
      return route.tab === 'vars' ? base : `${base}/${route.tab}`
    }
    default:
      return `/${route.page}`
  }
}

const listeners = new Set<() => void>()

/** Goes to `path` without reloading the page. */
export function navigate(path: string, replace = false): void {
  if (path === window.location.pathname) return
  if (replace) window.history.replaceState(null, '', path)
  else window.history.pushState(null, '', path)
  for (const fn of listeners) fn()
}

/** The current route; re-renders on navigation and on the browser's back and forward. */
export function useRoute(): Route {
  const [path, setPath] = useState(window.location.pathname)
  useEffect(() => {
    const update = () => setPath(window.location.pathname)
    listeners.add(update)
    window.addEventListener('popstate', update)
    return () => {
      listeners.delete(update)
      window.removeEventListener('popstate', update)
    }
  }, [])
  return parseRoute(path)
}
