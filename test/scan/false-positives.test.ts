// Zero false positives: look-alikes of every format (wrong checksums, placeholders, documented
// examples, public keys), the noise of real code (UUIDs, hashes, base64, minified JS, prose),
// and this repository's own sources are all scanned clean — with 50 fingerprints loaded too.
import { createHash, randomBytes, randomUUID } from 'node:crypto'
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import {
  createFingerprintSet,
  createScanner,
  fingerprintItem,
  scanText,
} from '../../src/core/scan/index.ts'
import { createIgnoreTree, listFiles, scanFiles } from '../../src/cli/commands/scan-files.ts'
import { generateToken } from '../../src/crypto/tokens.ts'
import { randomChars } from './helpers/credentials.ts'

const BASE62 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz'
const ROOT = join(import.meta.dirname, '..', '..')

/** 50 random secrets of 12–64 characters, as the server would describe them. */
function fiftyFingerprints() {
  const key = randomBytes(32)
  const items = Array.from({ length: 50 }, (_, i) =>
    fingerprintItem(key, `SECRET_${i}`, 'production', randomChars(BASE62 + ' -_/+', 12 + i)),
  )
  return createFingerprintSet(key, items)
}

const LOREM =
  'Lorem ipsum dolor sit amet, consectetur adipiscing elit, sed do eiusmod tempor incididunt ut labore et dolore magna aliqua. Ut enim ad minim veniam, quis nostrud exercitation ullamco laboris nisi ut aliquip ex ea commodo consequat.'

const LOOK_ALIKES = [
  'gho_16C7e42F292c6912E7710c838347Ae178B4a', // GitHub's documented example: bad checksum
  `ghp_${'x'.repeat(36)}`,
  `ghp_${'A1'.repeat(18)}`,
  `github_pat_${'X'.repeat(22)}_${'X'.repeat(59)}`,
  'AKIAIOSFODNN7EXAMPLE', // AWS's documented example
  'AKIAAAAAAAAAAAAAAAAA',
  'AKIA1234567890123456', // 0, 1, 8, 9 are not in AWS's alphabet
  `sk_live_${'X'.repeat(24)}`,
  `sk_test_${'x'.repeat(32)}`,
  'sk_live_short',
  'rk_test_0123456789abcdefABCDEF0123',
  'xoxb-your-bot-token-here',
  'xoxp-123-456-789-abc',
  'disk_test_abcdefghijklmnopqrstuvwxyz012345', // `sk_test_` inside a longer word
  'mytresor_pat_0123456789abcdefghijABCDEFGHIJ0123456789abcd',
  "if (pem.startsWith('-----BEGIN PRIVATE KEY-----')) return parse(pem)",
  '-----BEGIN RSA PRIVATE KEY-----\n...\n-----END RSA PRIVATE KEY-----',
  '-----BEGIN OPENSSH PRIVATE KEY-----\nREDACTED\n-----END OPENSSH PRIVATE KEY-----',
]

function publicPems(): string[] {
  const body = () =>
    (
      randomBytes(300)
        .toString('base64')
        .match(/.{1,64}/g) ?? []
    ).join('\n')
  return ['PUBLIC KEY', 'CERTIFICATE', 'RSA PUBLIC KEY', 'CERTIFICATE REQUEST'].map(
    (label) => `-----BEGIN ${label}-----\n${body()}\n-----END ${label}-----`,
  )
}

function noise(): string {
  const lines: string[] = []
  for (let i = 0; i < 300; i++) {
    const bytes = randomBytes(48)
    lines.push(
      `id: ${randomUUID()}`,
      `commit ${bytes.toString('hex').slice(0, 40)}`,
      `sha256: ${createHash('sha256').update(bytes).digest('hex')}`,
      `"integrity": "sha512-${createHash('sha512').update(bytes).digest('base64')}"`,
      `blob = "${randomBytes(16 + (i % 200)).toString('base64')}"`,
      `url = https://cdn.example.com/${randomBytes(12).toString('base64url')}/a.js?v=${i}`,
      LOREM,
    )
  }
  return lines.join('\n')
}

function minifiedJs(): string {
  const names = ['a', 'b', 'c', 'd', 'e', 'f', 'g', 'h', 'i', 'j', 'k', 'l']
  let out = '!function(){"use strict";'
  for (let i = 0; i < 2000; i++) {
    const n = names[i % names.length] ?? 'x'
    out += `var ${n}${i}=function(t,e){return t.${n}(e,"${randomBytes(6).toString('base64')}")||${i}};`
  }
  return `${out}}();`
}

describe('no false positives', () => {
  it('reports nothing in look-alikes, public PEM blocks, noise and minified JS, with 50 fingerprints loaded', () => {
    const scanner = createScanner({ fingerprints: fiftyFingerprints() })
    const corpus = [...LOOK_ALIKES, ...publicPems(), noise(), minifiedJs()]
    for (const text of corpus)
      expect(scanner.scanText(text, 'corpus.txt'), text.slice(0, 60)).toEqual([])
  })

  it('reports no Tresor token whose checksum is wrong (property, 2,000 random edits)', () => {
    const tokens = Array.from({ length: 20 }, (_, i) => generateToken(i % 2 ? 'pat' : 'svc'))
    fc.assert(
      fc.property(
        fc.nat(19),
        fc.integer({ min: 11, max: 49 }),
        fc.constantFrom(...BASE62),
        (which, at, c) => {
          const token = tokens[which] ?? ''
          fc.pre(token[at] !== c)
          const edited = token.slice(0, at) + c + token.slice(at + 1)
          expect(scanText(`TOKEN=${edited}\n`, 'f')).toEqual([])
        },
      ),
      { numRuns: 2000 },
    )
  })

  it('reports nothing in random printable text (property, 1,000 texts, 50 fingerprints)', () => {
    const scanner = createScanner({ fingerprints: fiftyFingerprints() })
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme-ascii', maxLength: 400 }), (text) => {
        expect(scanner.scanText(text, 'f')).toEqual([])
      }),
      { numRuns: 1000 },
    )
  })

  it("reports nothing in Tresor's own src/ tree", () => {
    const files = listFiles(['src'], ROOT, createIgnoreTree(ROOT, true))
    expect(files.length).toBeGreaterThan(100)
    const result = scanFiles(files, createScanner({ fingerprints: fiftyFingerprints() }))
    expect(result.findings).toEqual([])
    expect(result.bytes).toBe(files.reduce((n, f) => n + readFileSync(f.abs).length, 0))
  })
})
