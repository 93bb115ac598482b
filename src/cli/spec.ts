import type { TresorClient } from '../client/index.ts'
import type { SessionRenewer } from '../client/session-refresh.ts'

/** A terminal-capable input stream (process.stdin), as far as the CLI uses one. */
export interface InputStream extends NodeJS.ReadableStream {
  isTTY?: boolean
  setRawMode?: (mode: boolean) => unknown
}

/** What the CLI needs from the process; the composition root passes the real ones. */
export interface CliIo {
  argv: string[]
  version: string
  stdout: (text: string) => void
  stderr: (text: string) => void
  stdin: InputStream
  env: Readonly<Record<string, string | undefined>>
  cwd: string
  home: string
  stdoutIsTTY: boolean
  stderrIsTTY: boolean
}

/** Every flag any verb takes, by the camelCase of its long name (`--data-dir` → `dataDir`). */
export interface Flags {
  json?: boolean
  quiet?: boolean
  yes?: boolean
  url?: string
  project?: string
  env?: string
  format?: string
  name?: string
  namespace?: string
  replace?: boolean
  value?: string
  generate?: boolean
  length?: string
  ttl?: string
  scope?: string[]
  envs?: string
  parent?: string
  limit?: string
  action?: string
  verify?: boolean
  all?: boolean
  // run, deploy, releases, rollback, previews, promote, diff
  release?: string
  noInherit?: boolean
  follow?: boolean
  mask?: boolean
  fallback?: string
  grace?: string
  message?: string
  exitCode?: boolean
  includeSecrets?: boolean
  from?: string
  to?: string
  previewUrl?: string
  // addons
  provision?: boolean
  fromFile?: string
  config?: string[]
  dropDatabase?: boolean
  // login
  sso?: boolean
  // members
  role?: string
  revealProduction?: boolean
  noRevealProduction?: boolean
  disable?: boolean
  enable?: boolean
}

/** One table of data: a header and rows of cells (plain text; output.ts escapes and pads). */
export interface Table {
  columns: string[]
  rows: string[][]
}

/**
 * What a verb returns; output.ts renders it. `json` is printed under `--json`; otherwise `text`
 * (exact bytes) or `table`. Notes go to stderr unless `--quiet`; warnings always do.
 */
export interface Result {
  json?: unknown
  text?: string
  table?: Table
  notes?: string[]
  warnings?: string[]
  exitCode?: number
}

/** The project and environment a verb works on. */
export interface EnvTarget {
  project: string
  env: string
}

/** The server a verb talks to. */
export interface ServerSettings {
  url: string
  token: string | undefined
  /** For a stored SSO session: trades the refused bearer for a new one (saved, 0600). */
  renew?: SessionRenewer
}

/** What a verb gets: its arguments and flags, the process, and lazily resolved settings. */
export interface VerbContext {
  readonly verb: string
  readonly args: string[]
  readonly flags: Flags
  readonly io: CliIo
  /** The server URL and token (flags, env, credentials file). */
  server(): ServerSettings
  /** A client for the server; fails with a clear message when there is no token. */
  client(): TresorClient
  /** `-p`, else TRESOR_PROJECT, else `.tresor.json`. */
  project(): string
  /** Project plus `-e`, else TRESOR_ENV, else `.tresor.json`. */
  target(): EnvTarget
}

/** A verb's implementation: data in, Result out; never writes to the terminal itself. */
export type Verb = (ctx: VerbContext) => Promise<Result>

export interface OptionSpec {
  flags: string
  description: string
  /** Accumulates every use into a list (`--scope read --scope write`). */
  repeatable?: boolean
}

/** One row of the command table. */
export interface VerbSpec {
  name: string
  summary: string
  /** The heading it is listed under in `tresor --help`. */
  group: string
  /** Positional arguments: `<key>` required, `[file]` optional, `<pairs...>` one or more. */
  args?: string[]
  /** Which target flags the verb takes: `-p`, or `-p` and `-e`. */
  target?: 'project' | 'env'
  /** Adds `-y/--yes` (skip the confirmation). */
  confirm?: boolean
  /** True for verbs that talk to no server (no `--url`, `--quiet`). */
  local?: boolean
  /** False for verbs whose output has no JSON form (default true). */
  json?: boolean
  options?: OptionSpec[]
  /** Shown when the verb gets more arguments than it takes. */
  tooManyHint?: string
  /** At least one; shown under "Examples" in the verb's help. */
  examples: string[]
  load: () => Promise<Verb>
}
