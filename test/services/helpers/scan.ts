// Looks for a secret's bytes in what is at rest, in every form a leak could take: raw UTF-8,
// UTF-16LE (a JS string written as is), base64 at each of its three alignments, and hex (how
// PostgreSQL dumps bytea).
import { execFileSync } from 'node:child_process'
import { existsSync, readFileSync } from 'node:fs'
import { TEST_POSTGRES_URL, type TestDatabase } from '../../helpers/stores.ts'

/** Every encoding of `secret` worth searching for, named. */
export function formsOf(secret: Buffer): { form: string; bytes: Buffer }[] {
  const out = [
    { form: 'utf8', bytes: secret },
    { form: 'utf16le', bytes: Buffer.from(secret.toString('latin1'), 'utf16le') },
    { form: 'hex', bytes: Buffer.from(secret.toString('hex')) },
  ]
  for (let offset = 0; offset < 3; offset++) {
    // Only the base64 characters that depend on the secret alone, whatever surrounds it.
    const text = Buffer.concat([Buffer.alloc(offset), secret]).toString('base64')
    const stable = text.slice(offset === 0 ? 0 : 4, -4)
    out.push({ form: `base64+${offset}`, bytes: Buffer.from(stable) })
  }
  return out
}

/** `label:form@where` for every form of every secret found in any of `blobs`. */
export function findAll(blobs: Record<string, Buffer>, secrets: Record<string, Buffer>): string[] {
  const hits: string[] = []
  for (const [label, secret] of Object.entries(secrets)) {
    for (const { form, bytes } of formsOf(secret)) {
      for (const [where, blob] of Object.entries(blobs)) {
        if (blob.includes(bytes)) hits.push(`${label}:${form}@${where}`)
      }
    }
  }
  return hits
}

/** The bytes at rest: the SQLite file with its -wal and -shm, or a pg_dump of the schema. */
export function atRest(db: TestDatabase): Record<string, Buffer> {
  if (db.engine === 'sqlite') {
    const path = db.options.sqlitePath ?? ''
    const out: Record<string, Buffer> = {}
    for (const suffix of ['', '-wal', '-shm']) {
      if (existsSync(path + suffix)) out[`db${suffix}`] = readFileSync(path + suffix)
    }
    return out
  }
  const dump = execFileSync(
    'pg_dump',
    ['--dbname', TEST_POSTGRES_URL, '--schema', db.options.schema ?? 'public', '--no-owner'],
    { maxBuffer: 512 * 1024 * 1024 },
  )
  return { pg_dump: dump }
}
