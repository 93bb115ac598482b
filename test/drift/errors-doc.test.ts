// Every error code of src/core/errors.ts is documented in docs/errors.md with its HTTP status,
// what it means and the typical fix; the doc lists no code that does not exist.
import { readFileSync } from 'node:fs'
import { expect, it } from 'vitest'
import { ERROR_CODES, ERROR_STATUS } from '../../src/core/errors.ts'

const doc = readFileSync(new URL('../../docs/errors.md', import.meta.url), 'utf8')

/** The rows of the table: `| \`CODE\` | status | meaning | fix |` (cells padded or not). */
const ROW = /^\|\s*`([A-Z_]+)`\s*\|\s*(\d{3})\s*\|([^|]+)\|([^|]+)\|$/gm
const rows = [...doc.matchAll(ROW)].map((m) => ({
  code: m[1] ?? '',
  status: Number(m[2]),
  meaning: m[3]?.trim(),
  fix: m[4]?.trim(),
}))

it('documents each error code once with its status', () => {
  expect(rows.map((r) => r.code).sort()).toEqual([...ERROR_CODES].sort())
  for (const row of rows) {
    expect([row.code, row.status]).toEqual([row.code, ERROR_STATUS[row.code as 'INTERNAL']])
  }
})

it('says what each code means and how to fix it', () => {
  for (const row of rows) {
    expect([row.code, (row.meaning ?? '').length > 20, (row.fix ?? '').length > 10]).toEqual([
      row.code,
      true,
      true,
    ])
  }
})
