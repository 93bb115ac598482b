import { describe, expect, it } from 'vitest'
import { decryptWithNonce, encryptWithNonce } from './gcm.ts'

const hex = (s: string): Buffer => Buffer.from(s, 'hex')

// AES-256 test cases 13, 14 and 16 of McGrew & Viega, "The Galois/Counter Mode of Operation"
// (the vectors NIST SP 800-38D validation builds on).
const VECTORS = [
  {
    name: 'TC13 empty plaintext',
    key: '00'.repeat(32),
    iv: '00'.repeat(12),
    pt: '',
    aad: '',
    ct: '',
    tag: '530f8afbc74536b9a963b4f1c4cb738b',
  },
  {
    name: 'TC14 one zero block',
    key: '00'.repeat(32),
    iv: '00'.repeat(12),
    pt: '00'.repeat(16),
    aad: '',
    ct: 'cea7403d4d606b6e074ec5d3baf39d18',
    tag: 'd0d1c8a799996bf0265b98b5d48ab919',
  },
  {
    name: 'TC16 60 bytes with AAD',
    key: 'feffe9928665731c6d6a8f9467308308feffe9928665731c6d6a8f9467308308',
    iv: 'cafebabefacedbaddecaf888',
    pt:
      'd9313225f88406e5a55909c5aff5269a86a7a9531534f7da2e4c303d8a318a72' +
      '1c3c0c95956809532fcf0e2449a6b525b16aedf5aa0de657ba637b39',
    aad: 'feedfacedeadbeeffeedfacedeadbeefabaddad2',
    ct:
      '522dc1f099567d07f47f37a32a84427d643a8cdcbfe5c0c97598a2bd2555d1aa' +
      '8cb08e48590dbb3da7b08b1056828838c5f61e6393ba7a0abcc9f662',
    tag: '76fc6ece0f4e1768cddf8853bb2d551b',
  },
]

describe('AES-256-GCM known answers', () => {
  it.each(VECTORS)('$name encrypts to the published ciphertext and tag', (v) => {
    const out = encryptWithNonce(hex(v.key), hex(v.iv), hex(v.pt), hex(v.aad))
    expect(out.ciphertext.toString('hex')).toBe(v.ct)
    expect(out.tag.toString('hex')).toBe(v.tag)
  })

  it.each(VECTORS)('$name decrypts the published ciphertext', (v) => {
    const pt = decryptWithNonce(hex(v.key), hex(v.iv), hex(v.ct), hex(v.tag), hex(v.aad))
    expect(pt.toString('hex')).toBe(v.pt)
  })

  it('refuses the TC16 ciphertext under a changed tag, AAD or shortened tag', () => {
    const v = VECTORS[2]!
    const [key, iv, ct, aad] = [hex(v.key), hex(v.iv), hex(v.ct), hex(v.aad)]
    const badTag = hex(v.tag)
    badTag[0]! ^= 1
    expect(() => decryptWithNonce(key, iv, ct, badTag, aad)).toThrow()
    expect(() => decryptWithNonce(key, iv, ct, hex(v.tag), Buffer.from('x'))).toThrow()
    expect(() => decryptWithNonce(key, iv, ct, hex(v.tag).subarray(0, 12), aad)).toThrow()
  })
})
