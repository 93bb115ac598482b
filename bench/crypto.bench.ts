// Crypto micro-benchmarks (one core): `node --import tsx bench/crypto.bench.ts`. Prints µs/op
// (min / median of 5 timed rounds after a warm-up) so the figures can be compared with
// research/performance.md §2 from the same run.
import { randomBytes } from 'node:crypto'
import { pathToFileURL } from 'node:url'
import {
  createKeyring,
  createStaticKeyProvider,
  generateDataKey,
  generateToken,
  hashToken,
  openValue,
  parseToken,
  sealValue,
  tokensEqual,
  type Aad,
} from '../src/crypto/index.ts'

/** One measured operation: microseconds per call, best and median round. */
export interface CryptoBenchResult {
  name: string
  minUs: number
  medianUs: number
}

async function measure(name: string, ops: number, fn: () => unknown): Promise<CryptoBenchResult> {
  // Only real promises are awaited: an `await` on a plain value would add a microtask per op.
  const run = async (): Promise<void> => {
    for (let i = 0; i < ops; i++) {
      const out = fn()
      if (out instanceof Promise) await out
    }
  }
  await run()
  const rounds: number[] = []
  for (let r = 0; r < 5; r++) {
    const start = process.hrtime.bigint()
    await run()
    rounds.push(Number(process.hrtime.bigint() - start) / ops / 1000)
  }
  rounds.sort((a, b) => a - b)
  return { name, minUs: rounds[0] ?? NaN, medianUs: rounds[2] ?? NaN }
}

/** Runs every crypto benchmark and returns the figures. */
export async function runCryptoBench(): Promise<CryptoBenchResult[]> {
  const aad: Aad = {
    workspaceId: 'wsp_0000000000000001',
    projectId: 'prj_0000000000000001',
    environmentId: 'env_0000000000000001',
    revisionId: 'rev_0000000000000001',
  }
  const key = generateDataKey()
  const small = randomBytes(40)
  const doc = `KEY_NAME_0123=${'v'.repeat(42)}\n`.repeat(100)
  const sealedSmall = sealValue(key, small, aad)
  const sealedDoc = sealValue(key, doc, aad)
  const provider = createStaticKeyProvider(randomBytes(32))
  const wrapped = await provider.wrap(key, { workspaceId: aad.workspaceId })
  const keyring = createKeyring({
    provider,
    loadWrappedKey: () => Promise.resolve(wrapped),
    loadCurrentKeyId: () => Promise.resolve(key.keyId),
  })
  const pepper = randomBytes(32)
  const token = generateToken('pat')
  const stored = hashToken(pepper, token)
  return [
    await measure('seal 40 B value', 20_000, () => sealValue(key, small, aad)),
    await measure('open 40 B value', 20_000, () => openValue(key, sealedSmall, aad)),
    await measure(`seal ${doc.length} B document`, 10_000, () => sealValue(key, doc, aad)),
    await measure(`open ${doc.length} B document`, 10_000, () => openValue(key, sealedDoc, aad)),
    await measure('keyring.open document (cached key)', 10_000, () => keyring.open(sealedDoc, aad)),
    await measure('unwrap data key (static root key)', 10_000, () =>
      provider.unwrap(wrapped, { workspaceId: aad.workspaceId, keyId: key.keyId }),
    ),
    await measure('token verify: hashToken + tokensEqual', 50_000, () =>
      tokensEqual(hashToken(pepper, token), stored),
    ),
    await measure('parseToken (format + CRC32)', 50_000, () => parseToken(token)),
    await measure('generateToken', 20_000, () => generateToken('svc')),
  ]
}

function print(results: CryptoBenchResult[]): void {
  for (const r of results) {
    console.log(
      `${r.name.padEnd(40)} ${r.minUs.toFixed(2).padStart(8)} / ${r.medianUs.toFixed(2)} µs`,
    )
  }
}

/** Token check against its 5 µs budget (ratio = median µs / 5; target ≤ 1), for `npm run bench`. */
export async function run() {
  const results = await runCryptoBench()
  print(results)
  const verify = results.find((r) => r.name.startsWith('token verify'))
  const ratio = (verify?.medianUs ?? NaN) / 5
  return {
    name: 'token check (HMAC + constant-time compare) / 5 µs',
    ratio,
    target: 1,
    ok: ratio <= 1,
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) print(await runCryptoBench())
