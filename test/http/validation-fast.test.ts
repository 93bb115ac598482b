import { describe, expect, it } from 'vitest'
import { z } from 'zod'
import * as addons from '../../src/api/addons.ts'
import * as audit from '../../src/api/audit.ts'
import * as common from '../../src/api/common.ts'
import * as releases from '../../src/api/releases.ts'
import * as resources from '../../src/api/resources.ts'
import * as scan from '../../src/api/scan.ts'
import * as secretRequests from '../../src/api/secret-requests.ts'
import * as sessions from '../../src/api/sessions.ts'
import * as tokens from '../../src/api/tokens.ts'
import * as vars from '../../src/api/vars.ts'
import * as webhooks from '../../src/api/webhooks.ts'
import { ID_PREFIXES, newId, type IdKind } from '../../src/core/ids.ts'
import { fastObjectCheck, validatorCompiler } from '../../src/http/validation.ts'
import { prng } from '../../bench/scan-tree.ts'

// Every exported object schema of the API, plus the shapes routes build from them.
const modules: Record<string, unknown>[] = [
  addons,
  audit,
  common,
  releases,
  resources,
  scan,
  secretRequests,
  sessions,
  tokens,
  vars,
  webhooks,
]
const schemas: [string, z.ZodType][] = [
  ...modules
    .flatMap((mod) => Object.entries(mod))
    .filter((entry): entry is [string, z.ZodType] => entry[1] instanceof z.ZodObject),
  [
    'EnvironmentParams+key',
    common.EnvironmentParamsSchema.extend({ key: resources.VariableKeySchema }),
  ],
  ['ProjectParams+key', common.ProjectParamsSchema.extend({ key: resources.VariableKeySchema })],
]

// The shape of a secret request's link token (43 characters of base64url).
const LINK_TOKEN = `${'Ab0_-'.repeat(8)}xyz`

// Values near every boundary of the checks the fast path reads (lengths, patterns, enums, NUL).
const POOL: unknown[] = [
  '',
  'a',
  'A',
  '_',
  '1abc',
  'bench',
  'production',
  'pr-42',
  '-x',
  'Bench',
  'prj_0123456789abcdef',
  'env_0123456789abcdeg',
  'prj_0123456789abcde',
  'BENCH_PUT',
  'a.b-c_d',
  'with space',
  'KEY=value',
  'a\u0000b',
  '\u0000',
  'config',
  'secret',
  'system',
  'x'.repeat(63),
  'x'.repeat(64),
  'A'.repeat(256),
  'A'.repeat(257),
  'v'.repeat(65_536),
  'v'.repeat(65_537),
  'é',
  '😀',
  'line\nbreak',
  'template',
  'dump',
  ...(Object.keys(ID_PREFIXES) as IdKind[]).map((kind) => newId(kind)),
  LINK_TOKEN,
  0,
  1,
  true,
  null,
  [],
  ['a'],
  {},
  { a: 'b' },
]

// Objects over `shape`'s keys: each key absent, undefined, a value its field accepts (half the
// time, so that whole objects pass often) or any value of the pool; sometimes an extra key.
function inputs(shape: Record<string, z.ZodType>, count: number): unknown[] {
  const next = prng(7)
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(next() * xs.length)] as T
  const good = new Map(
    Object.entries(shape).map(([key, field]) => [
      key,
      POOL.filter((v) => field.safeParse(v).success),
    ]),
  )
  const out: unknown[] = [undefined, null, 'text', 42, [], {}]
  for (let i = 0; i < count; i++) {
    const obj: Record<string, unknown> =
      next() < 0.2 ? (Object.create(null) as Record<string, unknown>) : {}
    for (const [key, fits] of good) {
      const r = next()
      if (r < 0.05) continue
      if (r < 0.07) obj[key] = undefined
      else obj[key] = r < 0.6 && fits.length > 0 ? pick(fits) : pick(POOL)
    }
    if (next() < 0.2) obj['extra'] = pick(POOL)
    out.push(obj)
  }
  return out
}

describe('fast validation of flat objects', () => {
  it('covers the hot schemas: environment path parameters and the PUT of one variable', () => {
    expect(fastObjectCheck(common.EnvironmentParamsSchema)).toBeDefined()
    expect(fastObjectCheck(common.ProjectParamsSchema)).toBeDefined()
    expect(fastObjectCheck(vars.PutVarBodySchema)).toBeDefined()
    const put = fastObjectCheck(vars.PutVarBodySchema)
    expect(put?.({ key: 'API_URL', value: 'https://x', kind: 'config', other: 1 })).toStrictEqual({
      key: 'API_URL',
      value: 'https://x',
      kind: 'config',
    })
    expect(put?.({ key: 'API_URL', value: 'a\u0000b' })).toBeUndefined()
  })

  it('declines schemas it cannot check exactly (records, arrays, numbers, nesting)', () => {
    expect(fastObjectCheck(vars.PatchVarsBodySchema)).toBeUndefined()
    expect(fastObjectCheck(vars.DeleteVarsBodySchema)).toBeUndefined()
    expect(fastObjectCheck(z.object({ n: z.coerce.string() }))).toBeUndefined()
    expect(fastObjectCheck(z.object({ e: z.email() }))).toBeUndefined()
    expect(fastObjectCheck(z.object({ s: z.string().trim() }))).toBeUndefined()
    expect(fastObjectCheck(z.object({ s: z.string() }).strict())).toBeUndefined()
    expect(fastObjectCheck(z.object({ s: z.string() }).refine(() => true))).toBeUndefined()
    expect(fastObjectCheck(z.object({ s: z.string().default('x') }))).toBeUndefined()
    expect(
      fastObjectCheck(z.object({ s: z.string().refine(() => true, { when: () => true }) })),
    ).toBeUndefined()
    expect(fastObjectCheck(vars.VarSchema)).toBeUndefined()
  })

  it.each(schemas)(
    'accepts only what zod accepts, and returns what it returns: %s',
    (_name, schema) => {
      const fast = fastObjectCheck(schema)
      if (fast === undefined) return
      let accepted = 0
      for (const input of inputs((schema as z.ZodObject).shape, 3000)) {
        const value = fast(input)
        if (value === undefined) continue
        accepted++
        const parsed = schema.safeParse(input)
        expect(parsed.success, JSON.stringify(input)?.slice(0, 200)).toBe(true)
        expect(value).toStrictEqual(parsed.data)
        expect(JSON.stringify(value)).toBe(JSON.stringify(parsed.data))
      }
      expect(accepted).toBeGreaterThan(0)
    },
  )

  it('words refusals as zod does when the fast check declines', () => {
    const validate = validatorCompiler({
      schema: vars.PutVarBodySchema,
      method: 'PUT',
      url: '/x',
      httpPart: 'body',
    }) as (data: unknown) => { value?: unknown; error?: unknown[] }
    expect(validate({ key: 'A', value: 'b' })).toStrictEqual({ value: { key: 'A', value: 'b' } })
    const refused = validate({ key: '1A', value: 'a\u0000', kind: 'nope' })
    expect(refused.value).toBeUndefined()
    expect(refused.error).toHaveLength(3)
    expect(JSON.stringify(refused.error)).not.toContain('1A')
  })
})
