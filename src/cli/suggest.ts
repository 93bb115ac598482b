/** Edit distance with transpositions (optimal string alignment): `confg`→`config` is 1. */
export function editDistance(a: string, b: string): number {
  const d: number[][] = Array.from({ length: a.length + 1 }, (_, i) =>
    Array.from({ length: b.length + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)),
  )
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1
      const row = d[i] as number[]
      const up = d[i - 1] as number[]
      row[j] = Math.min((up[j] ?? 0) + 1, (row[j - 1] ?? 0) + 1, (up[j - 1] ?? 0) + cost)
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1])
        row[j] = Math.min(row[j] ?? 0, ((d[i - 2] as number[])[j - 2] ?? 0) + 1)
    }
  }
  return (d[a.length] as number[])[b.length] ?? 0
}

/**
 * The nearest candidates to a mistyped word: at most two edits away and closer than half its
 * length (so `x` suggests nothing), all ties included. `(Did you mean config?)` or undefined.
 */
export function suggestion(word: string, candidates: readonly string[]): string | undefined {
  let best = Infinity
  let found: string[] = []
  for (const c of candidates) {
    const dist = editDistance(word, c)
    if (dist > 2 || dist * 2 >= Math.max(word.length, 2)) continue
    if (dist < best) {
      best = dist
      found = [c]
    } else if (dist === best) found.push(c)
  }
  return found.length === 0 ? undefined : `(Did you mean ${found.join(' or ')}?)`
}
