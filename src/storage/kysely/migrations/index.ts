import { documentsMigration } from './0001-documents.ts'
import { environmentsMigration } from './0002-environments.ts'
import { accessMigration } from './0003-access.ts'
import { serverSecretsMigration } from './0004-server-secrets.ts'
import { webhooksMigration } from './0005-webhooks.ts'
import { agentTokensMigration } from './0006-agent-tokens.ts'
import { addonsMigration } from './0007-addons.ts'
import { sessionsMigration } from './0008-sessions.ts'
import { ssoIdentitiesMigration } from './0009-sso-identities.ts'
import { revealGrantsMigration } from './0010-reveal-grants.ts'
import type { Migration } from './migration.ts'

/** Every migration in order; versions are 1, 2, 3 … without gaps and never renumbered. */
export const MIGRATIONS: readonly Migration[] = [
  documentsMigration,
  environmentsMigration,
  accessMigration,
  serverSecretsMigration,
  webhooksMigration,
  agentTokensMigration,
  addonsMigration,
  sessionsMigration,
  ssoIdentitiesMigration,
  revealGrantsMigration,
]

/** The schema version this code writes. */
// The highest version, not the count: 0008 may land before 0007 (two branches numbered ahead).
export const LATEST_VERSION = Math.max(...MIGRATIONS.map((m) => m.version))
