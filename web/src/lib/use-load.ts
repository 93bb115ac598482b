import { useCallback, useEffect, useRef, useState } from 'react'

export interface Loaded<T> {
  data: T | undefined
  error: unknown
  loading: boolean
  /** Loads again, keeping the current data on screen meanwhile. */
  reload: () => void
}

/**
 * Runs `load` when `deps` change and on `reload()`; an answer that arrives after a newer request
 * started is dropped, so a slow response never overwrites a fresh one.
 */
export function useLoad<T>(load: () => Promise<T>, deps: readonly unknown[]): Loaded<T> {
  const [data, setData] = useState<T | undefined>(undefined)
  const [error, setError] = useState<unknown>(undefined)
  const [loading, setLoading] = useState(true)
  const [tick, setTick] = useState(0)
  const seq = useRef(0)
  const loadRef = useRef(load)
  loadRef.current = load
  useEffect(() => {
    const mine = ++seq.current
    setLoading(true)
    loadRef.current().then(
      (value) => {
        if (mine !== seq.current) return
        setData(value)
        setError(undefined)
        setLoading(false)
      },
      (err: unknown) => {
        if (mine !== seq.current) return
        setError(err)
        setLoading(false)
      },
    )
    // The caller names the deps, as with useEffect; `tick` adds reloads.
  }, [...deps, tick])
  const reload = useCallback(() => setTick((t) => t + 1), [])
  return { data, error, loading, reload }
}
