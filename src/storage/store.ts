// The storage port: row types, repos and the Store that services program against. One file on
// purpose (past the usual ~150 lines): the import rules let services import exactly this file.
// Every failure is an AppError from src/core/errors.ts: CONFLICT (unique key, stale head),
// NOT_FOUND (missing row or missing referenced row), UNAVAILABLE (engine down, disk full, busy),
// SCHEMA_TOO_NEW (database written by a newer Tresor), INTERNAL (anything else).

export type Engine = 'sqlite' | 'postgres'

/** ISO-8601 UTC time as `Date.prototype.toISOString()` writes it; sorts as text. */
export type Timestamp = string

export type JsonValue = string | number | boolean | null | JsonValue[] | { [k: string]: JsonValue }

// ---- rows -----------------------------------------------------------------------------------

export interface WorkspaceRow {
  id: string
  name: string
  createdAt: Timestamp
  /** Sequence number of the last audit event (0 = none yet). */
  auditSeq: number
  /** Hash of the last audit event, null before the first one. */
  auditHash: string | null
}
export type NewWorkspace = Omit<WorkspaceRow, 'auditSeq' | 'auditHash'>

/** The audit chain's append point: the next event gets `seq + 1` and `prevHash = hash`. */
export interface AuditHead {
  seq: number
  hash: string | null
}

export type DataKeyState = 'current' | 'retired'
export interface DataKeyRow {
  /** The versioned key id that sealed blobs name in their header (`dk_…:v1`). */
  id: string
  workspaceId: string
  version: number
  /** The data key wrapped (encrypted) by the root key `rootKeyId`; never the raw key. */
  wrappedKey: Buffer
  rootKeyId: string
  state: DataKeyState
  createdAt: Timestamp
}
export type NewDataKey = DataKeyRow

export type MemberRole = 'owner' | 'admin' | 'developer' | 'viewer'
export interface MemberRow {
  id: string
  workspaceId: string
  /** Stored as given: callers normalise (lower-case) before create and lookup. */
  email: string
  name: string
  role: MemberRole
  disabled: boolean
  /**
   * Granted by an owner or admin: a developer may reveal production secrets (with a token that
   * carries `secrets:reveal`). Other roles ignore it.
   */
  revealProduction: boolean
  createdAt: Timestamp
}
export type NewMember = Omit<MemberRow, 'revealProduction'> & { revealProduction?: boolean }
export interface MemberPatch {
  name?: string
  role?: MemberRole
  disabled?: boolean
  revealProduction?: boolean
}

export interface ProjectRow {
  id: string
  workspaceId: string
  slug: string
  name: string
  requiredKeys: string[]
  /** Number of the shared document's latest revision (0 = empty). */
  headRevision: number
  createdAt: Timestamp
  deletedAt: Timestamp | null
}
export type NewProject = Omit<ProjectRow, 'headRevision' | 'deletedAt'>
export interface ProjectPatch {
  name?: string
  requiredKeys?: string[]
}

export interface EnvironmentRow {
  id: string
  workspaceId: string
  projectId: string
  slug: string
  parentId: string | null
  /** Preview TTL: a sweeper deletes the environment after this time. */
  expiresAt: Timestamp | null
  autoDeploy: boolean
  requiredKeys: string[]
  /** Number of the document's latest revision (0 = empty). */
  headRevision: number
  currentReleaseId: string | null
  createdAt: Timestamp
}
export type NewEnvironment = Omit<EnvironmentRow, 'headRevision' | 'currentReleaseId'>
export interface EnvironmentPatch {
  autoDeploy?: boolean
  requiredKeys?: string[]
  expiresAt?: Timestamp | null
}

/** Which document: an environment's (`environmentId` set) or the project's shared one (null). */
export interface DocumentScope {
  workspaceId: string
  projectId: string
  environmentId: string | null
}

export type KeyKind = 'config' | 'secret'
export interface KeyIndexEntry {
  key: string
  kind: KeyKind
  /** When and by whom (member or token id) the key's value or kind last changed. */
  updatedAt?: string
  updatedBy?: string
}

export interface RevisionRow {
  id: string
  workspaceId: string
  projectId: string
  environmentId: string | null
  /** 1, 2, 3 … per document, without gaps. */
  number: number
  /** Member or token id. */
  authorId: string
  createdAt: Timestamp
  message: string | null
  /** Names only, never values. */
  changedKeys: string[]
  /** Names and kinds in document order, never values. */
  keyIndex: KeyIndexEntry[]
  /** The whole document as one ciphertext: the only column that holds values. Blob columns are
   * Buffers because both drivers return Buffers and the crypto layer's `Sealed` is one. */
  sealed: Buffer
  /** Data key that sealed it. */
  keyId: string
}
export interface NewRevision extends RevisionRow {
  /**
   * `keyIndex` is the parent revision's (most writes change values, not which keys there are or
   * their kinds): the store may record "as the parent" instead of another copy, and gives the
   * resolved index back on every read.
   */
  keyIndexAsParent?: boolean
}
export type RevisionMeta = Omit<RevisionRow, 'sealed'>
/** What opening a revision needs, without the clear metadata (the hot read path). */
export type SealedRevision = Pick<
  RevisionRow,
  'id' | 'workspaceId' | 'projectId' | 'environmentId' | 'number' | 'createdAt' | 'keyId' | 'sealed'
>

export type ReleaseStatus = 'pending' | 'active' | 'superseded' | 'failed'
export interface ReleaseRow {
  id: string
  workspaceId: string
  projectId: string
  environmentId: string
  /** 1, 2, 3 … per environment. */
  number: number
  envRevision: number
  projectRevision: number
  /** Non-secret metadata only (PORT, APP_ENV, TRESOR_*…). */
  systemVars: Record<string, string>
  deployId: string
  authorId: string
  status: ReleaseStatus
  /** The resolved environment sealed as one ciphertext, when the release keeps a snapshot. */
  sealed: Buffer | null
  keyId: string | null
  createdAt: Timestamp
}
export type NewRelease = ReleaseRow
export type ReleaseMeta = Omit<ReleaseRow, 'sealed'>

/** A stored ciphertext and the ids its AAD is made of: what data-key rotation re-seals. */
export interface SealedRow {
  /** The revision or release id (the AAD's last field). */
  id: string
  workspaceId: string
  projectId: string
  /** null for a project's shared document. */
  environmentId: string | null
  keyId: string
  sealed: Buffer
}
/** A page of SealedRows in id order: those after `afterId`, at most `limit` (default 100). */
export interface SealedPage {
  afterId?: string
  limit?: number
}

export type TokenKind = 'pat' | 'svc'
export type TokenScope = 'read' | 'write' | 'secrets:reveal' | 'deploy' | 'admin'
export interface TokenRow {
  id: string
  workspaceId: string
  memberId: string | null
  kind: TokenKind
  name: string
  /** HMAC of the token; the token itself is never stored. */
  tokenHash: Buffer
  scopes: TokenScope[]
  projectId: string | null
  /** null = every environment of `projectId` (or of the workspace). */
  environmentIds: string[] | null
  expiresAt: Timestamp | null
  revokedAt: Timestamp | null
  lastUsedAt: Timestamp | null
  createdAt: Timestamp
  /** Issued to an AI agent: the server refuses it secret values and secret writes. */
  agent: boolean
}
export type NewToken = Omit<TokenRow, 'revokedAt' | 'lastUsedAt' | 'agent'> & { agent?: boolean }

export type ActorKind = 'member' | 'token' | 'system'
export type AuditOutcome = 'success' | 'denied' | 'error'
export interface AuditEventRow {
  id: string
  workspaceId: string
  /** 1, 2, 3 … per workspace, without gaps. */
  seq: number
  at: Timestamp
  actorId: string
  actorKind: ActorKind
  action: string
  projectId: string | null
  environmentId: string | null
  /** Key names only. */
  keys: string[]
  outcome: AuditOutcome
  ip: string | null
  requestId: string | null
  /** Never a value. */
  detail: { [k: string]: JsonValue }
  prevHash: string | null
  hash: string
}
export type NewAuditEvent = AuditEventRow
export interface AuditQuery {
  afterSeq?: number
  beforeSeq?: number
  since?: Timestamp
  until?: Timestamp
  projectId?: string
  environmentId?: string
  actorId?: string
  action?: string
  /** Default 100, at most 1000. */
  limit?: number
  /** Default 'desc' (newest first); 'asc' for chain verification and streaming. */
  order?: 'asc' | 'desc'
}

export interface SecretRequestRow {
  id: string
  workspaceId: string
  projectId: string
  environmentId: string
  key: string
  description: string | null
  tokenHash: Buffer
  createdBy: string
  expiresAt: Timestamp
  fulfilledAt: Timestamp | null
  createdAt: Timestamp
}
export type NewSecretRequest = Omit<SecretRequestRow, 'fulfilledAt'>

/** A server-wide secret (e.g. the token pepper), wrapped by the root key like a data key. */
export interface ServerSecretRow {
  name: string
  wrapped: Buffer
  rootKeyId: string
  createdAt: Timestamp
}

export interface Page {
  /** Default 100, at most 1000. */
  limit?: number
  /** Only rows numbered below this (for paging newest-first lists). */
  beforeNumber?: number
}

// ---- repos: reads (anywhere) and writes (inside a transaction only) --------------------------

export interface WorkspaceReads {
  get(id: string): Promise<WorkspaceRow | undefined>
  list(): Promise<WorkspaceRow[]>
  count(): Promise<number>
}
export interface WorkspaceRepo extends WorkspaceReads {
  create(row: NewWorkspace): Promise<WorkspaceRow>
  rename(id: string, name: string): Promise<WorkspaceRow>
  /** Locks the workspace row until commit and returns the audit head (NOT_FOUND if none). */
  lockAuditHead(id: string): Promise<AuditHead>
}

export interface DataKeyReads {
  /** Key `keyId` only if it belongs to `workspaceId` (the keyring's lookup). */
  loadWrappedKey(workspaceId: string, keyId: string): Promise<DataKeyRow | undefined>
  loadCurrentKeyId(workspaceId: string): Promise<string | undefined>
  /** Oldest version first. */
  list(workspaceId: string): Promise<DataKeyRow[]>
  listByRootKey(rootKeyId: string): Promise<DataKeyRow[]>
}
export interface DataKeyRepo extends DataKeyReads {
  /** CONFLICT when the workspace already has a current key or this version. */
  create(row: NewDataKey): Promise<DataKeyRow>
  retire(workspaceId: string, id: string): Promise<void>
  rewrap(id: string, wrappedKey: Uint8Array, rootKeyId: string): Promise<void>
}

export interface MemberReads {
  get(workspaceId: string, id: string): Promise<MemberRow | undefined>
  getByEmail(workspaceId: string, email: string): Promise<MemberRow | undefined>
  list(workspaceId: string): Promise<MemberRow[]>
}
export interface MemberRepo extends MemberReads {
  create(row: NewMember): Promise<MemberRow>
  update(workspaceId: string, id: string, patch: MemberPatch): Promise<MemberRow>
}

export interface ProjectReads {
  /** Live projects only unless `includeDeleted`. */
  get(
    workspaceId: string,
    id: string,
    opts?: { includeDeleted?: boolean },
  ): Promise<ProjectRow | undefined>
  getBySlug(workspaceId: string, slug: string): Promise<ProjectRow | undefined>
  list(workspaceId: string): Promise<ProjectRow[]>
}
export interface ProjectRepo extends ProjectReads {
  create(row: NewProject): Promise<ProjectRow>
  update(workspaceId: string, id: string, patch: ProjectPatch): Promise<ProjectRow>
  softDelete(workspaceId: string, id: string, at: Timestamp): Promise<void>
  /** Locks the row until commit (serialises shared-document writers); NOT_FOUND if none. */
  lockForUpdate(workspaceId: string, id: string): Promise<ProjectRow>
}

export interface EnvironmentReads {
  get(workspaceId: string, id: string): Promise<EnvironmentRow | undefined>
  getBySlug(
    workspaceId: string,
    projectId: string,
    slug: string,
  ): Promise<EnvironmentRow | undefined>
  list(workspaceId: string, projectId: string): Promise<EnvironmentRow[]>
  /** Every workspace's environments whose `expiresAt` is at or before `at`. */
  listExpired(at: Timestamp, limit?: number): Promise<EnvironmentRow[]>
}
export interface EnvironmentRepo extends EnvironmentReads {
  create(row: NewEnvironment): Promise<EnvironmentRow>
  update(workspaceId: string, id: string, patch: EnvironmentPatch): Promise<EnvironmentRow>
  /** NOT_FOUND unless `releaseId` is a release of this environment. */
  setCurrentRelease(workspaceId: string, id: string, releaseId: string): Promise<void>
  /** Deletes the environment with its revisions, releases and secret requests. */
  delete(workspaceId: string, id: string): Promise<void>
  /** Locks the row until commit (serialises document writers); NOT_FOUND if none. */
  lockForUpdate(workspaceId: string, id: string): Promise<EnvironmentRow>
}

export interface RevisionReads {
  latest(scope: DocumentScope): Promise<RevisionRow | undefined>
  /** The latest revision's ciphertext and identity only: one narrow row, nothing to decode. */
  latestSealed(scope: DocumentScope): Promise<SealedRevision | undefined>
  /**
   * As `latestSealed`, but without the ciphertext (`sealed: null`) when the latest revision's id
   * is `knownId`: a writer that holds that revision opened skips the blob, in one statement.
   */
  latestSealedUnless(
    scope: DocumentScope,
    knownId: string | null,
  ): Promise<(Omit<SealedRevision, 'sealed'> & { sealed: Buffer | null }) | undefined>
  get(scope: DocumentScope, number: number): Promise<RevisionRow | undefined>
  getById(workspaceId: string, id: string): Promise<RevisionRow | undefined>
  /** Newest first, without the sealed blob. */
  list(scope: DocumentScope, page?: Page): Promise<RevisionMeta[]>
  /** The workspace's revisions sealed under data key `keyId`, in id order (re-sealing). */
  listSealedByKey(workspaceId: string, keyId: string, page?: SealedPage): Promise<SealedRow[]>
  /** How many of the workspace's revisions are sealed under `keyId` (rotation, nonce budget). */
  countByKey(workspaceId: string, keyId: string): Promise<number>
}
export interface RevisionRepo extends RevisionReads {
  /**
   * Appends revision `row.number` and advances the document's head to it. CONFLICT unless
   * `row.number` is exactly head + 1. There is no delete, and no update of content: revisions
   * are immutable.
   */
  append(row: NewRevision): Promise<RevisionRow>
  /**
   * Data-key rotation only: replaces revision `id`'s ciphertext by `sealed` (the same plaintext
   * under `toKeyId`) if it is still under `fromKeyId`. True when this call replaced it.
   */
  reseal(
    workspaceId: string,
    id: string,
    fromKeyId: string,
    sealed: Uint8Array,
    toKeyId: string,
  ): Promise<boolean>
}

export interface ReleaseReads {
  get(workspaceId: string, id: string): Promise<ReleaseRow | undefined>
  getByNumber(
    workspaceId: string,
    environmentId: string,
    number: number,
  ): Promise<ReleaseRow | undefined>
  latest(workspaceId: string, environmentId: string): Promise<ReleaseRow | undefined>
  /** Newest first, without the sealed snapshot. */
  list(workspaceId: string, environmentId: string, page?: Page): Promise<ReleaseMeta[]>
  /** The workspace's release snapshots sealed under data key `keyId`, in id order. */
  listSealedByKey(workspaceId: string, keyId: string, page?: SealedPage): Promise<SealedRow[]>
  /** How many of the workspace's release snapshots are sealed under `keyId`. */
  countByKey(workspaceId: string, keyId: string): Promise<number>
}
export interface ReleaseRepo extends ReleaseReads {
  /** CONFLICT when the environment already has a release with this number. */
  create(row: NewRelease): Promise<ReleaseRow>
  setStatus(workspaceId: string, id: string, status: ReleaseStatus): Promise<void>
  /** Data-key rotation only: as `RevisionRepo.reseal`, for a release's snapshot. */
  reseal(
    workspaceId: string,
    id: string,
    fromKeyId: string,
    sealed: Uint8Array,
    toKeyId: string,
  ): Promise<boolean>
}

export interface TokenReads {
  /** The authentication lookup (any workspace). */
  getByHash(tokenHash: Uint8Array): Promise<TokenRow | undefined>
  get(workspaceId: string, id: string): Promise<TokenRow | undefined>
  list(workspaceId: string, filter?: { memberId?: string; projectId?: string }): Promise<TokenRow[]>
}
export interface TokenRepo extends TokenReads {
  create(row: NewToken): Promise<TokenRow>
  /** Sets `revokedAt` once (a second revoke keeps the first time); NOT_FOUND if none. */
  revoke(workspaceId: string, id: string, at: Timestamp): Promise<TokenRow>
  touch(id: string, at: Timestamp): Promise<void>
}

export interface AuditEventReads {
  list(workspaceId: string, query?: AuditQuery): Promise<AuditEventRow[]>
  head(workspaceId: string): Promise<AuditHead | undefined>
}
export interface AuditEventRepo extends AuditEventReads {
  /** Appends event `row.seq` and advances the workspace's head; CONFLICT unless seq = head + 1. */
  append(row: NewAuditEvent): Promise<AuditEventRow>
}

export interface SecretRequestReads {
  getByTokenHash(tokenHash: Uint8Array): Promise<SecretRequestRow | undefined>
  get(workspaceId: string, id: string): Promise<SecretRequestRow | undefined>
  list(workspaceId: string, filter?: { environmentId?: string }): Promise<SecretRequestRow[]>
}
export interface SecretRequestRepo extends SecretRequestReads {
  create(row: NewSecretRequest): Promise<SecretRequestRow>
  /** Marks it fulfilled at `at`; true only for the one call that consumed an unexpired request. */
  fulfill(id: string, at: Timestamp): Promise<boolean>
}

export interface ServerSecretReads {
  get(name: string): Promise<ServerSecretRow | undefined>
  list(): Promise<ServerSecretRow[]>
}
export interface ServerSecretRepo extends ServerSecretReads {
  /** CONFLICT when a secret of that name exists (two replicas starting at once: re-read). */
  create(row: ServerSecretRow): Promise<ServerSecretRow>
  rewrap(name: string, wrapped: Uint8Array, rootKeyId: string): Promise<void>
}

// ---- browser and CLI sessions (migration 0008) ----------------------------------------------

export type SessionKind = 'sso' | 'token'
export type SessionClient = 'browser' | 'cli'
export interface SessionRow {
  /** `ses_…`: not a secret (audit rows and lists name it). */
  id: string
  workspaceId: string
  memberId: string
  /** `token`: opened with a personal token (break-glass); `sso`: opened through the IdP. */
  kind: SessionKind
  client: SessionClient
  /** The personal token a `token` session was opened with (re-checked on every request). */
  tokenId: string | null
  /** HMAC of the session secret (the cookie value); the secret itself is never stored. */
  secretHash: Buffer
  /** HMAC of the CLI's refresh secret, null for browser sessions. */
  refreshHash: Buffer | null
  createdAt: Timestamp
  lastSeenAt: Timestamp
  /** Absolute end of the session. */
  expiresAt: Timestamp
  /** The session ends after this many seconds without a request. */
  idleTimeoutSeconds: number
  /** When the current secret stops working (CLI: short-lived, renewed by refresh). */
  accessExpiresAt: Timestamp
  /** When the IdP must next confirm the member (SSO sessions only). */
  idpRefreshAt: Timestamp | null
  /** The IdP's refresh token sealed under the workspace data key (AAD environment `~session`). */
  sealedIdpRefresh: Buffer | null
  keyId: string | null
  revokedAt: Timestamp | null
}
export type NewSession = Omit<SessionRow, 'revokedAt'>
/** What a refresh rewrites (new secrets, the IdP's new refresh token and next deadline). */
export interface SessionRenewal {
  secretHash?: Buffer
  refreshHash?: Buffer | null
  accessExpiresAt?: Timestamp
  idpRefreshAt?: Timestamp | null
  sealedIdpRefresh?: Buffer | null
  keyId?: string | null
}

/** A provider identity (issuer + subject) bound to the member it signs in as (migration 0009). */
export interface SsoIdentityRow {
  workspaceId: string
  issuer: string
  subject: string
  memberId: string
  /** The email the provider gave when the identity was bound (information only). */
  email: string
  createdAt: Timestamp
}

export interface SessionReads {
  getBySecretHash(hash: Uint8Array): Promise<SessionRow | undefined>
  getByRefreshHash(hash: Uint8Array): Promise<SessionRow | undefined>
  get(workspaceId: string, id: string): Promise<SessionRow | undefined>
  /** The workspace's SSO sessions whose IdP refresh token is sealed under `keyId` (re-sealing). */
  listSealedByKey(workspaceId: string, keyId: string, page?: SealedPage): Promise<SealedRow[]>
  countByKey(workspaceId: string, keyId: string): Promise<number>
  /** The member bound to this provider identity, if any. */
  getIdentity(
    workspaceId: string,
    issuer: string,
    subject: string,
  ): Promise<SsoIdentityRow | undefined>
  /** The identity of this issuer bound to `memberId`, if any. */
  identityOfMember(
    workspaceId: string,
    issuer: string,
    memberId: string,
  ): Promise<SsoIdentityRow | undefined>
}
export interface SessionRepo extends SessionReads {
  create(row: NewSession): Promise<SessionRow>
  /** CONFLICT when the identity or the member (for this issuer) is already bound. */
  bindIdentity(row: SsoIdentityRow): Promise<SsoIdentityRow>
  /** Data-key rotation only: as `RevisionRepo.reseal`, for a session's IdP refresh token. */
  reseal(
    workspaceId: string,
    id: string,
    fromKeyId: string,
    sealed: Uint8Array,
    toKeyId: string,
  ): Promise<boolean>
  touch(id: string, at: Timestamp): Promise<void>
  /** Compare-and-set on `idpRefreshAt`/secret: false when another request renewed it first. */
  renew(id: string, expectSecretHash: Uint8Array, patch: SessionRenewal): Promise<boolean>
  /** Sets `revokedAt` once; NOT_FOUND if none. */
  revoke(workspaceId: string, id: string, at: Timestamp): Promise<void>
}

/** Per-workspace sign-in settings: session lifetimes and the OIDC provider (migration 0008). */
export interface AuthSettingsRow {
  workspaceId: string
  sessionLifetimeSeconds: number
  idleTimeoutSeconds: number
  ssoIssuer: string | null
  ssoClientId: string | null
  /** The client secret sealed under the workspace data key (AAD environment `~sso`). */
  ssoSealedSecret: Buffer | null
  ssoKeyId: string | null
  ssoAllowedDomains: string[]
  /** The ID-token claim whose values map to roles (e.g. `groups`). */
  ssoRoleClaim: string | null
  /** Claim value → role. */
  ssoRoleMap: Record<string, MemberRole>
  /** Role of a member no mapping matches; null = such a member is refused. */
  ssoDefaultRole: MemberRole | null
  updatedAt: Timestamp
}
export interface AuthSettingsReads {
  get(workspaceId: string): Promise<AuthSettingsRow | undefined>
  /** The sealed SSO client secret when it is under `keyId` (at most one row; re-sealing). */
  listSealedByKey(workspaceId: string, keyId: string, page?: SealedPage): Promise<SealedRow[]>
  countByKey(workspaceId: string, keyId: string): Promise<number>
}
export interface AuthSettingsRepo extends AuthSettingsReads {
  /** Inserts or replaces the workspace's row. */
  put(row: AuthSettingsRow): Promise<AuthSettingsRow>
  /** Data-key rotation only: swaps the sealed client secret if it is still under `fromKeyId`. */
  reseal(
    workspaceId: string,
    id: string,
    fromKeyId: string,
    sealed: Uint8Array,
    toKeyId: string,
  ): Promise<boolean>
}

// ---- webhooks -------------------------------------------------------------------------------

export interface WebhookRow {
  id: string
  workspaceId: string
  projectId: string
  url: string
  description: string | null
  /** null = every environment of the project. */
  environmentIds: string[] | null
  /** The signing secret sealed under the workspace data key (AAD environment `~webhook`). */
  sealedSecret: Buffer
  keyId: string
  createdBy: string
  createdAt: Timestamp
}
export type NewWebhook = WebhookRow

export type WebhookDeliveryStatus = 'pending' | 'delivered' | 'failed'
export interface WebhookDeliveryRow {
  id: string
  workspaceId: string
  projectId: string
  webhookId: string
  releaseId: string
  environmentId: string
  event: string
  /** The exact JSON body sent: ids, numbers and key names, never a value. */
  payload: string
  status: WebhookDeliveryStatus
  /** Attempts started so far (a claim counts one). */
  attempts: number
  /** When a pending delivery is next due; while one is being sent, the end of its claim. */
  nextAttemptAt: Timestamp | null
  lastAttemptAt: Timestamp | null
  lastStatusCode: number | null
  /** Why the last attempt failed, in Tresor's words (never the receiver's response body). */
  lastError: string | null
  deliveredAt: Timestamp | null
  createdAt: Timestamp
}
export type NewWebhookDelivery = WebhookDeliveryRow
/** How an attempt ended: the fields `finish` writes. */
export interface WebhookAttemptResult {
  status: WebhookDeliveryStatus
  nextAttemptAt: Timestamp | null
  lastStatusCode: number | null
  lastError: string | null
  deliveredAt: Timestamp | null
}

export interface WebhookReads {
  get(workspaceId: string, id: string): Promise<WebhookRow | undefined>
  /** Oldest first. */
  list(workspaceId: string, projectId: string): Promise<WebhookRow[]>
  /** The workspace's webhook secrets sealed under `keyId`, in id order (data-key rotation). */
  listSealedByKey(workspaceId: string, keyId: string, page?: SealedPage): Promise<SealedRow[]>
  countByKey(workspaceId: string, keyId: string): Promise<number>
}
export interface WebhookRepo extends WebhookReads {
  create(row: NewWebhook): Promise<WebhookRow>
  /** Deletes the webhook and every delivery of it; NOT_FOUND if none. */
  delete(workspaceId: string, id: string): Promise<void>
  /** Data-key rotation only: as `RevisionRepo.reseal`, for a webhook's secret. */
  reseal(
    workspaceId: string,
    id: string,
    fromKeyId: string,
    sealed: Uint8Array,
    toKeyId: string,
  ): Promise<boolean>
}

export interface WebhookDeliveryReads {
  get(workspaceId: string, id: string): Promise<WebhookDeliveryRow | undefined>
  /** Newest first. */
  list(
    workspaceId: string,
    webhookId: string,
    page?: { limit?: number },
  ): Promise<WebhookDeliveryRow[]>
  /** Pending deliveries of every workspace due at or before `at`, most overdue first. */
  listDue(at: Timestamp, limit: number): Promise<WebhookDeliveryRow[]>
  /** The earliest `nextAttemptAt` of any pending delivery, undefined when none is pending. */
  nextDueAt(): Promise<Timestamp | undefined>
}
export interface WebhookDeliveryRepo extends WebhookDeliveryReads {
  create(row: NewWebhookDelivery): Promise<WebhookDeliveryRow>
  /**
   * Compare-and-set claim of one attempt: only if the delivery is still pending and still due at
   * `dueAt` (so of two replicas reading the same row, one wins). Counts the attempt, stamps
   * `lastAttemptAt = at` and pushes `nextAttemptAt` to `leaseUntil` (if the sender dies, the
   * delivery is due again then). Returns the claimed row, undefined when another claim won.
   */
  claim(
    id: string,
    dueAt: Timestamp,
    at: Timestamp,
    leaseUntil: Timestamp,
  ): Promise<WebhookDeliveryRow | undefined>
  /** Records how attempt number `attempt` ended, unless the delivery moved on since; true if so. */
  finish(id: string, attempt: number, result: WebhookAttemptResult): Promise<boolean>
  /** Makes a delivery pending and due at `at` with a fresh set of attempts; NOT_FOUND if none. */
  requeue(workspaceId: string, id: string, at: Timestamp): Promise<WebhookDeliveryRow>
}

// ---- add-ons (migration 0007) ---------------------------------------------------------------

/**
 * How an add-on's variables came to be: given by the caller (`external`), made by Tresor's
 * built-in provisioner (`provisioned`: database and role exist on the server), forked from the
 * parent's database for a preview (`forked`), or copied from the parent as is (`shared`).
 */
export type AddonMode = 'external' | 'provisioned' | 'forked' | 'shared'
/** An add-on attached to an environment: clear metadata only, its values are in the revision. */
export interface AddonRow {
  workspaceId: string
  projectId: string
  environmentId: string
  name: string
  mode: AddonMode
  /** Names of its variables, never values. */
  keys: string[]
  /** The database and role Tresor made (provisioned or forked), dropped on detach or expiry. */
  databaseName: string | null
  roleName: string | null
  /** The environment a preview's add-on was forked or copied from. */
  parentEnvironmentId: string | null
  createdBy: string
  createdAt: Timestamp
  updatedAt: Timestamp
}
export interface AddonReads {
  get(workspaceId: string, environmentId: string, name: string): Promise<AddonRow | undefined>
  /** An environment's add-ons by name. */
  list(workspaceId: string, environmentId: string): Promise<AddonRow[]>
}
export interface AddonRepo extends AddonReads {
  /** Creates or replaces the row of (environment, name). */
  put(row: AddonRow): Promise<AddonRow>
  /** True when a row was deleted. */
  delete(workspaceId: string, environmentId: string, name: string): Promise<boolean>
}

// ---- the store ------------------------------------------------------------------------------

export interface StoreReads {
  addons: AddonReads
  workspaces: WorkspaceReads
  dataKeys: DataKeyReads
  members: MemberReads
  projects: ProjectReads
  environments: EnvironmentReads
  revisions: RevisionReads
  releases: ReleaseReads
  tokens: TokenReads
  auditEvents: AuditEventReads
  secretRequests: SecretRequestReads
  serverSecrets: ServerSecretReads
  webhooks: WebhookReads
  webhookDeliveries: WebhookDeliveryReads
  sessions: SessionReads
  authSettings: AuthSettingsReads
}

export interface StoreTx {
  addons: AddonRepo
  workspaces: WorkspaceRepo
  dataKeys: DataKeyRepo
  members: MemberRepo
  projects: ProjectRepo
  environments: EnvironmentRepo
  revisions: RevisionRepo
  releases: ReleaseRepo
  tokens: TokenRepo
  auditEvents: AuditEventRepo
  secretRequests: SecretRequestRepo
  serverSecrets: ServerSecretRepo
  webhooks: WebhookRepo
  webhookDeliveries: WebhookDeliveryRepo
  sessions: SessionRepo
  authSettings: AuthSettingsRepo
}

export interface StoreHealth {
  engine: Engine
  schemaVersion: number
  /** Durability settings as the engine reports them (e.g. journal_mode, synchronous). */
  settings: Record<string, string>
}

export interface Store extends StoreReads {
  readonly engine: Engine
  /**
   * Runs `fn` in one transaction: commits when it resolves, rolls everything back when it throws
   * (the error is rethrown as is). `fn` must use only `tx`, never this store: on SQLite the outer
   * store waits for the connection the transaction holds and fails with UNAVAILABLE after
   * `busyTimeoutMs`; on PostgreSQL it would silently run outside the transaction. After a storage
   * error inside `fn`, every later `tx` call fails too (both engines alike): rethrow it.
   * Transactions run at READ COMMITTED (PostgreSQL) / serialised (SQLite); use `lockForUpdate`
   * and the compare-and-set of `append` for read-modify-write.
   */
  transaction<T>(fn: (tx: StoreTx) => Promise<T>): Promise<T>
  health(): Promise<StoreHealth>
  close(): Promise<void>
}
