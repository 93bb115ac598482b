// Where the signed-in token lives. sessionStorage, not localStorage and not a cookie:
// - it belongs to this one tab and is gone when the tab closes, so a shared or stolen laptop does
//   not keep a live credential around the way localStorage (kept for ever, all tabs) would;
// - it survives a reload, so refreshing a page does not sign the user out;
// - the browser never attaches it to a request by itself, as it would a cookie, so no other site
//   can make this browser act with it (no CSRF to defend against);
// - a script running in the page could read it, but could read a token held in memory just as
//   well: the strict Content-Security-Policy (own scripts only) is what keeps such scripts out.
// The token never goes into a URL, a log line, or the DOM.

const KEY = 'tresor.session'

/** The token this tab signed in with, if any. */
export function loadToken(): string | undefined {
  try {
    return window.sessionStorage.getItem(KEY) ?? undefined
  } catch {
    return undefined // storage disabled: the user signs in again on reload
  }
}

/** Keeps the token for this tab only. */
export function saveToken(token: string): void {
  try {
    window.sessionStorage.setItem(KEY, token)
  } catch {
    // Storage disabled: the session still works until the page reloads.
  }
}

/** Forgets the token (sign-out, or the server no longer accepts it). */
export function clearToken(): void {
  try {
    window.sessionStorage.removeItem(KEY)
  } catch {
    // Nothing stored.
  }
}
