// Pinned bytes of what Tresor writes to disk: a sealed revision blob and a wrapped data key, made
// once with fixed keys and nonces. Every other crypto test seals and opens in the same run, so a
// change to the blob layout, the AAD encoding or the root key id would pass them while leaving
// every existing database unreadable. These blobs must keep opening, byte for byte.
import { describe, expect, it } from 'vitest'
import { encodeSealAad, type Aad } from './aad.ts'
import { openValue, parseSealedHeader } from './aead.ts'
import { dataKeyFromBytes } from './data-key.ts'
import { parseWrappedHeader, unwrapDataKey } from './envelope.ts'
import { rootKeyFromBytes } from './root-key.ts'

const DATA_KEY = Buffer.from(Array.from({ length: 32 }, (_, i) => i))
const KEY_ID = 'dk_ngs0000000000000:v1'
const ROOT_KEY = Buffer.from(Array.from({ length: 32 }, (_, i) => 0xa0 + i))
const ROW: Aad = {
  workspaceId: 'wsp_vector00000001',
  projectId: 'prj_vector00000001',
  environmentId: 'env_vector00000001',
  revisionId: 'rev_vector00000001',
}
const PLAINTEXT = 'DATABASE_URL=postgres://u:p@db/app\n'

// [0x01][key id length 0x16][key id][nonce 000102…0b][ciphertext][tag]
const SEALED = Buffer.from(
  '0116646b5f6e6773303030303030303030303030303a7631000102030405060708090a0b' +
    '0343825a87a4915ed214c5c78c99171ef7b1f551834170534d5d95c5790b2fd37160a4f0' +
    'ff4f27226a9916a21cecd05398bfaf',
  'hex',
)
// [0x01][root key id length 0x10][root key id][nonce 0b0a…00][wrapped data key 32][tag]
const ROOT_KEY_ID = 'f9a4a9879b39d6cc'
const WRAPPED = Buffer.from(
  '0110663961346139383739623339643663630b0a09080706050403020100c8890502ea4f' +
    '3026cf223aa3a272b8b35c8ea98ad78a572ddf4a24023f25a59d7c8209eb91e3cd806620' +
    '7ed30b67c4fe',
  'hex',
)

/** A length-prefixed field as the AAD encodes it: 4-byte big-endian length, then UTF-8. */
const field = (text: string) => {
  const bytes = Buffer.from(text, 'utf8')
  const length = Buffer.alloc(4)
  length.writeUInt32BE(bytes.length)
  return Buffer.concat([length, bytes])
}

describe('on-disk formats (pinned vectors)', () => {
  it('encodes a seal AAD as label, key id and the four row ids, each length-prefixed', () => {
    const expected = Buffer.concat(
      [
        'tresor.seal.v1',
        KEY_ID,
        ROW.workspaceId,
        ROW.projectId,
        ROW.environmentId,
        ROW.revisionId,
      ].map(field),
    )
    expect(encodeSealAad(ROW, KEY_ID).toString('hex')).toBe(expected.toString('hex'))
  })

  it('opens the pinned sealed blob to its plaintext, and only for its own row', () => {
    const key = dataKeyFromBytes(KEY_ID, Buffer.from(DATA_KEY))
    expect(parseSealedHeader(SEALED)).toEqual({ version: 1, keyId: KEY_ID })
    expect(openValue(key, SEALED, ROW).toString('utf8')).toBe(PLAINTEXT)
    const moved = { ...ROW, revisionId: 'rev_vector00000002' }
    expect(() => openValue(key, SEALED, moved)).toThrow('ciphertext could not be opened')
  })

  it('derives the pinned root key id and unwraps the pinned data key', () => {
    const root = rootKeyFromBytes(Buffer.from(ROOT_KEY))
    expect(root.id).toBe(ROOT_KEY_ID)
    expect(parseWrappedHeader(WRAPPED).rootKeyId).toBe(ROOT_KEY_ID)
    const context = { workspaceId: ROW.workspaceId, keyId: KEY_ID }
    const unwrapped = unwrapDataKey(root, WRAPPED, context)
    expect(unwrapped.keyId).toBe(KEY_ID)
    expect(unwrapped.key.export().toString('hex')).toBe(DATA_KEY.toString('hex'))
    const elsewhere = { ...context, workspaceId: 'wsp_vector00000002' }
    expect(() => unwrapDataKey(root, WRAPPED, elsewhere)).toThrow('could not be unwrapped')
  })
})
