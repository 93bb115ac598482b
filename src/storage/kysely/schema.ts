// SQL-side row shapes (snake_case). Portable column types on both engines: timestamps are ISO
// text, booleans are 0/1 integers, JSON is text, blobs are BLOB (SQLite) / BYTEA (PostgreSQL).

export interface WorkspacesTable {
  id: string
  name: string
  created_at: string
  audit_seq: number
  audit_hash: string | null
}

export interface DataKeysTable {
  id: string
  workspace_id: string
  version: number
  wrapped_key: Buffer
  root_key_id: string
  state: string
  created_at: string
}

export interface MembersTable {
  id: string
  workspace_id: string
  email: string
  name: string
  role: string
  disabled: number
  reveal_production: number
  created_at: string
}

export interface ProjectsTable {
  id: string
  workspace_id: string
  slug: string
  name: string
  required_keys: string
  head_revision: number
  created_at: string
  deleted_at: string | null
}

export interface EnvironmentsTable {
  id: string
  workspace_id: string
  project_id: string
  slug: string
  parent_id: string | null
  expires_at: string | null
  auto_deploy: number
  required_keys: string
  head_revision: number
  current_release_id: string | null
  created_at: string
}

export interface RevisionsTable {
  id: string
  workspace_id: string
  project_id: string
  environment_id: string | null
  /** environment_id, or project_id for the shared document: one non-null key for uniqueness. */
  scope_id: string
  number: number
  author_id: string
  created_at: string
  message: string | null
  changed_keys: string
  key_index: string
  sealed: Buffer
  key_id: string
}

export interface ReleasesTable {
  id: string
  workspace_id: string
  project_id: string
  environment_id: string
  number: number
  env_revision: number
  project_revision: number
  system_vars: string
  deploy_id: string
  author_id: string
  status: string
  sealed: Buffer | null
  key_id: string | null
  created_at: string
}

export interface TokensTable {
  id: string
  workspace_id: string
  member_id: string | null
  kind: string
  name: string
  token_hash: Buffer
  scopes: string
  project_id: string | null
  environment_ids: string | null
  expires_at: string | null
  revoked_at: string | null
  last_used_at: string | null
  created_at: string
  agent: number
}

export interface AuditEventsTable {
  id: string
  workspace_id: string
  seq: number
  at: string
  actor_id: string
  actor_kind: string
  action: string
  project_id: string | null
  environment_id: string | null
  keys: string
  outcome: string
  ip: string | null
  request_id: string | null
  detail: string
  prev_hash: string | null
  hash: string
}

export interface SecretRequestsTable {
  id: string
  workspace_id: string
  project_id: string
  environment_id: string
  key: string
  description: string | null
  token_hash: Buffer
  created_by: string
  expires_at: string
  fulfilled_at: string | null
  created_at: string
}

export interface ServerSecretsTable {
  name: string
  wrapped: Buffer
  root_key_id: string
  created_at: string
}

export interface WebhooksTable {
  id: string
  workspace_id: string
  project_id: string
  url: string
  description: string | null
  /** JSON array of environment ids; null = every environment of the project. */
  environment_ids: string | null
  sealed_secret: Buffer
  key_id: string
  created_by: string
  created_at: string
}

export interface WebhookDeliveriesTable {
  id: string
  workspace_id: string
  project_id: string
  webhook_id: string
  release_id: string
  environment_id: string
  event: string
  /** The exact JSON body sent (names and numbers, never a value). */
  payload: string
  status: string
  attempts: number
  next_attempt_at: string | null
  last_attempt_at: string | null
  last_status_code: number | null
  last_error: string | null
  delivered_at: string | null
  created_at: string
}

export interface SessionsTable {
  id: string
  workspace_id: string
  member_id: string
  kind: string
  client: string
  token_id: string | null
  secret_hash: Buffer
  refresh_hash: Buffer | null
  created_at: string
  last_seen_at: string
  expires_at: string
  idle_timeout_s: number
  access_expires_at: string
  idp_refresh_at: string | null
  sealed_idp_refresh: Buffer | null
  key_id: string | null
  revoked_at: string | null
}

export interface SsoIdentitiesTable {
  workspace_id: string
  issuer: string
  subject: string
  member_id: string
  email: string
  created_at: string
}

export interface AuthSettingsTable {
  workspace_id: string
  session_lifetime_s: number
  idle_timeout_s: number
  sso_issuer: string | null
  sso_client_id: string | null
  sso_sealed_secret: Buffer | null
  sso_key_id: string | null
  /** JSON array of domains. */
  sso_allowed_domains: string
  sso_role_claim: string | null
  /** JSON object: claim value → role. */
  sso_role_map: string
  sso_default_role: string | null
  updated_at: string
}

export interface SchemaVersionTable {
  version: number
  name: string
  applied_at: string
}

export interface AddonsTable {
  workspace_id: string
  project_id: string
  environment_id: string
  name: string
  mode: string
  /** JSON array of the add-on's variable names (never values). */
  keys: string
  database_name: string | null
  role_name: string | null
  parent_environment_id: string | null
  created_by: string
  created_at: string
  updated_at: string
}

export interface Database {
  workspaces: WorkspacesTable
  data_keys: DataKeysTable
  members: MembersTable
  projects: ProjectsTable
  environments: EnvironmentsTable
  revisions: RevisionsTable
  releases: ReleasesTable
  tokens: TokensTable
  audit_events: AuditEventsTable
  secret_requests: SecretRequestsTable
  server_secrets: ServerSecretsTable
  webhooks: WebhooksTable
  webhook_deliveries: WebhookDeliveriesTable
  sessions: SessionsTable
  auth_settings: AuthSettingsTable
  sso_identities: SsoIdentitiesTable
  addons: AddonsTable
  schema_version: SchemaVersionTable
}
