import type { Aad, Keyring } from '../../crypto/index.ts'

// An IdP refresh token is sealed like a value, bound to its workspace and session row, so a
// blob copied to another session fails to open.
const aadOf = (workspaceId: string, sessionId: string): Aad => ({
  workspaceId,
  projectId: '~session',
  environmentId: '~session',
  revisionId: sessionId,
})

/** Seals the IdP's refresh token of session `sessionId`. */
export function sealIdpRefresh(
  keyring: Keyring,
  workspaceId: string,
  sessionId: string,
  refreshToken: string,
): Promise<Buffer> {
  return keyring.seal(refreshToken, aadOf(workspaceId, sessionId))
}

/** Opens what `sealIdpRefresh` sealed for this session row. */
export async function openIdpRefresh(
  keyring: Keyring,
  row: { workspaceId: string; id: string },
  sealed: Buffer,
): Promise<string> {
  return (await keyring.open(sealed, aadOf(row.workspaceId, row.id))).toString('utf8')
}
