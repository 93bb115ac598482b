/**
 * AES-GCM with random 96-bit nonces is safe for at most 2^32 seals under one key (NIST SP
 * 800-38D). Tresor counts the rows sealed under a workspace's current data key (revisions and
 * release snapshots: one seal each) and rolls to a new key version at a quarter of that, which
 * leaves room for seals the count cannot see (rows deleted since, other replicas' recent writes).
 */
export const SEAL_LIMIT = 2 ** 30

/** How often (in new revisions per workspace, per process) the count is taken. */
export const SEAL_CHECK_EVERY = 10_000

export interface SealGuardDeps {
  /** Rows sealed under the workspace's current data key. */
  count: (workspaceId: string) => Promise<number>
  /** Makes a new data key version current (no re-seal needed to stop using the old one). */
  roll: (workspaceId: string) => Promise<unknown>
  /** Told when a check or roll failed; the next check retries. Never given a value or key. */
  onError: (err: unknown, workspaceId: string) => void
  limit?: number
  every?: number
}

/**
 * Returns the `onSealed` hook of the document service: after every `every` new revisions of a
 * workspace it counts that workspace's seals in the background and rolls the data key when the
 * count reaches `limit`. One check per workspace runs at a time; commits never wait for it.
 */
export function createSealGuard(deps: SealGuardDeps): (workspaceId: string) => void {
  const limit = deps.limit ?? SEAL_LIMIT
  const every = Math.max(1, deps.every ?? SEAL_CHECK_EVERY)
  const since = new Map<string, number>()
  const running = new Set<string>()

  async function check(workspaceId: string): Promise<void> {
    running.add(workspaceId)
    try {
      if ((await deps.count(workspaceId)) >= limit) await deps.roll(workspaceId)
    } catch (err) {
      deps.onError(err, workspaceId)
    } finally {
      running.delete(workspaceId)
    }
  }

  return (workspaceId) => {
    const n = (since.get(workspaceId) ?? 0) + 1
    if (n < every || running.has(workspaceId)) {
      since.set(workspaceId, n)
      return
    }
    since.set(workspaceId, 0)
    void check(workspaceId)
  }
}
