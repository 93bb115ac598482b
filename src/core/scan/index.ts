// The leak scanner's engine: pure functions over text (no file or network I/O), shared by the
// `tresor scan` verb, the server's fingerprint service and the MCP tools' credential check.
export { base62Crc32, shannonEntropy } from './checksum.ts'
export {
  fingerprintItem,
  fingerprintValue,
  hintBase,
  hintOf,
  hintOfValue,
  isFingerprintable,
  MAX_FINGERPRINT_LENGTH,
  MIN_FINGERPRINT_LENGTH,
} from './fingerprint.ts'
export { createFingerprintSet, type FingerprintSet } from './fingerprint-set.ts'
export { matchIgnore, parseIgnore, type IgnoreRule } from './ignore.ts'
export { describeFinding, formatFindingsText, RULE_DESCRIPTIONS, sortFindings } from './report.ts'
export {
  CREDENTIAL_RULES,
  findCredentials,
  type CredentialMatch,
  type CredentialRule,
} from './rules.ts'
export { toSarif, type SarifOptions } from './sarif.ts'
export {
  ALLOW_MARKER,
  BINARY_SNIFF_BYTES,
  createScanner,
  looksBinary,
  scanText,
  type Scanner,
  type ScannerOptions,
} from './scanner.ts'
export { RULE_IDS, type FingerprintItem, type Finding, type RuleId } from './types.ts'
