// The public API of src/crypto. Internal helpers (gcm.ts, fields.ts) stay unexported so that
// only this folder ever chooses a nonce or builds AAD bytes.
export { SHARED_ENVIRONMENT, type Aad } from './aad.ts'
export { openValue, parseSealedHeader, sealValue, type Sealed } from './aead.ts'
export {
  dataKeyFromBytes,
  formatDataKeyId,
  generateDataKey,
  nextDataKeyId,
  parseDataKeyId,
  type DataKey,
} from './data-key.ts'
export {
  encodeWrappedHeader,
  parseWrappedHeader,
  unwrapDataKey,
  wrapDataKey,
  type UnwrapContext,
  type WrapContext,
  type WrappedKey,
} from './envelope.ts'
export { loadOrCreateKeyFile, ROOT_KEY_FILE, type KeyFile } from './kek/key-file.ts'
export { guardKeyFileWraps } from './kek/key-file-guard.ts'
export {
  loadExistingKeyFile,
  loadPreviousKeyFile,
  PREVIOUS_ROOT_KEY_FILE,
  rotateKeyFile,
} from './kek/key-file-rotation.ts'
export type { KeyProvider } from './kek/key-provider.ts'
export { createMultiKeyProvider } from './kek/multi-provider.ts'
export { createStaticKeyProvider } from './kek/static-provider.ts'
export {
  createKeyring,
  createWrappedDataKey,
  type Keyring,
  type KeyringOptions,
} from './keyring.ts'
export { parseRootKeyBase64, rootKeyFromBytes, type RootKey } from './root-key.ts'
export { resealBlob, rewrapAll, type WrappedKeyRecord } from './rotation.ts'
export {
  generateToken,
  hashToken,
  parseToken,
  TOKEN_PATTERN,
  tokensEqual,
  type ParsedToken,
  type TokenKind,
} from './tokens.ts'
