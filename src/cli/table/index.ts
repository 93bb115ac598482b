import { SCAN_SPEC } from '../commands/scan-spec.ts'
import type { VerbSpec } from '../spec.ts'
import { ACCOUNT_VERBS } from './account.ts'
import { ADDON_VERBS } from './addons.ts'
import { ADMIN_VERBS } from './admin.ts'
import { DEPLOY_INTEGRATION_VERBS } from './deploy-integrations.ts'
import { RELEASE_VERBS } from './releases.ts'
import { VARIABLE_VERBS } from './variables.ts'

/** The command table: every verb, in the order `tresor --help` lists them. Add rows here. */
export const VERBS: readonly VerbSpec[] = [
  ...ACCOUNT_VERBS,
  ...VARIABLE_VERBS,
  ...RELEASE_VERBS,
  ...DEPLOY_INTEGRATION_VERBS,
  SCAN_SPEC,
  ...ADDON_VERBS,
  ...ADMIN_VERBS,
]
