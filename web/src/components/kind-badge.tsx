const TITLES: Record<string, string> = {
  config: 'Config: readable by anyone who can read this environment',
  secret: 'Secret: write-only; listed as a masked preview, revealed only with permission',
  system: 'System: set by Tresor at release time; cannot be changed here',
}

/** The kind of a variable as a small labelled badge. */
export function KindBadge({ kind }: { kind: string }) {
  return (
    <span className={`badge badge-${kind}`} title={TITLES[kind]}>
      {kind}
    </span>
  )
}
