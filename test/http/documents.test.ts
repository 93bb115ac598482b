// The environment document as dotenv text: masked download, merge and replace uploads that keep
// comments and order, masked re-uploads that keep the real secrets, system variables refused.
import { beforeAll, expect, it } from 'vitest'
import { call, ok } from './helpers/app.ts'
import {
  describeApp,
  expectProblem,
  like,
  newProject,
  type TestProject,
  TEXT,
} from './helpers/fixtures.ts'

const FIRST = [
  '# Database',
  'export DATABASE_HOST=db.internal',
  'DB_PASSWORD="correct horse battery staple" # secret',
  '',
  '# Feature flags',
  "FEATURE_X='on'",
  'SHORT=abc # secret',
  '',
].join('\n')

const FIRST_MASKED = [
  '# Database',
  'export DATABASE_HOST=db.internal',
  'DB_PASSWORD=corre***aple # secret',
  '',
  '# Feature flags',
  "FEATURE_X='on'",
  'SHORT=*** # secret',
  '',
].join('\n')

describeApp('document routes', (t) => {
  let p: TestProject
  let doc: string
  const put = (text: string, query = '', headers: Record<string, string> = {}) =>
    call(t(), 'PUT', `${doc}${query}`, { body: text, headers: { ...TEXT, ...headers } })
  const getText = async () => {
    const res = await call(t(), 'GET', doc)
    expect(res.headers['content-type']).toBe('text/plain; charset=utf-8')
    return { text: res.body, etag: res.headers['etag'] }
  }
  const reveal = async (key: string) =>
    (await ok<{ value: string }>(t(), 'POST', `${doc.replace(/document$/, 'vars')}/${key}/reveal`))
      .value
  beforeAll(async () => {
    p = await newProject(t())
    doc = `/v1/projects/${p.slug}/environments/staging/document`
  })

  it('a first upload keeps its text whole; the download masks each secret as KEY=preview # secret', async () => {
    const res = await put(FIRST)
    expect(res.statusCode).toBe(200)
    expect(res.headers['etag']).toBe('"1"')
    const body = res.json<{ vars: { key: string; kind: string }[]; revision: number }>()
    expect(body.revision).toBe(1)
    expect(body.vars.slice(0, 5).map((v) => [v.key, v.kind])).toEqual([
      ['DATABASE_HOST', 'config'],
      ['DB_PASSWORD', 'secret'],
      ['FEATURE_X', 'config'],
      ['SHORT', 'secret'],
      ['PORT', 'system'],
    ])
    expect(await getText()).toEqual({ text: FIRST_MASKED, etag: '"1"' })
    expect(await reveal('DB_PASSWORD')).toBe('correct horse battery staple')
  })

  it('re-uploading the downloaded masked document (merge) keeps every real secret and makes no revision', async () => {
    const res = await put((await getText()).text)
    expect(res.json()).toMatchObject({ revision: 1, warnings: [] })
    expect(await reveal('DB_PASSWORD')).toBe('correct horse battery staple')
    expect(await reveal('SHORT')).toBe('abc')
  })

  it('merge updates keys in place, appends new ones and leaves comments, blanks and order alone', async () => {
    const res = await put("FEATURE_X='off'\nNEW_KEY=1\n")
    expect(res.json()).toMatchObject({ revision: 2 })
    expect((await getText()).text).toBe(
      FIRST_MASKED.replace("FEATURE_X='on'", "FEATURE_X='off'") + 'NEW_KEY=1\n',
    )
  })

  it('replace stores the upload as written; masked secrets in it keep their stored values', async () => {
    const edited = (await getText()).text
      .replace('# Database\n', '# Rewritten by hand\n# Database\n')
      .replace('NEW_KEY=1\n', '')
      .replace("FEATURE_X='off'", 'FEATURE_X=maybe')
    const res = await put(edited, '?replace=true')
    expect(res.json()).toMatchObject({ revision: 3 })
    expect((await getText()).text).toBe(edited)
    expect(await reveal('DB_PASSWORD')).toBe('correct horse battery staple')
    expect(await reveal('SHORT')).toBe('abc')
    const small = await put('# only this\nA=1\n', '?replace=true')
    expect(small.json<{ vars: { key: string }[] }>().vars.map((v) => v.key)).toEqual([
      'A',
      'PORT',
      'APP_ENV',
      'TRESOR_PROJECT_SLUG',
      'TRESOR_ENV_SLUG',
    ])
    expect((await getText()).text).toBe('# only this\nA=1\n')
  })

  it('refuses a document setting system variables (naming line and value) unless skipReserved', async () => {
    const text = 'B=2\nPORT=8080\nAPP_ENV=prod\n'
    const refused = expectProblem(await put(text), 422, 'RESERVED_VARIABLE')
    expect(refused.errors).toEqual([
      {
        key: 'PORT',
        line: 2,
        message: "PORT is a system variable and cannot be changed: Tresor sets it to '3000'",
      },
      {
        key: 'APP_ENV',
        line: 3,
        message: "APP_ENV is a system variable and cannot be changed: Tresor sets it to 'staging'",
      },
    ])
    expect((await getText()).etag).toBe('"4"')
    const skipped = await put(text, '?skipReserved=true')
    expect(skipped.json()).toMatchObject({
      revision: 5,
      warnings: [
        "PORT is a system variable and cannot be changed: Tresor sets it to '3000' (line 2 skipped)",
        "APP_ENV is a system variable and cannot be changed: Tresor sets it to 'staging' (line 3 skipped)",
      ],
    })
    expect((await getText()).text).toBe('# only this\nA=1\nB=2\n')
  })

  it('a parse error names the line and changes nothing; a stale If-Match is 412; a non-UTF-8 charset 415', async () => {
    const bad = expectProblem(await put('OK=1\nA="open\n'), 400, 'PARSE_ERROR')
    expect(bad.errors?.[0]).toMatchObject({ line: 2 })
    const stale = expectProblem(
      await put('C=3\n', '', { 'if-match': '"4"' }),
      412,
      'PRECONDITION_FAILED',
    )
    expect(stale['currentRevision']).toBe(5)
    const latin = await call(t(), 'PUT', doc, {
      body: 'C=3\n',
      headers: { 'content-type': 'text/plain; charset=latin1' },
    })
    expectProblem(latin, 415, 'UNSUPPORTED_MEDIA_TYPE')
    expect(await getText()).toEqual({ text: '# only this\nA=1\nB=2\n', etag: '"5"' })
  })

  it('lists revisions newest first with authors and changed keys (never values), paged', async () => {
    const base = doc.replace(/document$/, 'revisions')
    const all = await ok<{ revisions: Record<string, unknown>[] }>(t(), 'GET', base)
    expect(all.revisions.map((r) => [r['number'], r['changedKeys']])).toEqual([
      [5, ['B']],
      [4, ['A', 'DATABASE_HOST', 'DB_PASSWORD', 'FEATURE_X', 'SHORT']],
      [3, ['FEATURE_X', 'NEW_KEY']],
      [2, ['FEATURE_X', 'NEW_KEY']],
      [1, ['DATABASE_HOST', 'DB_PASSWORD', 'FEATURE_X', 'SHORT']],
    ])
    const who = await ok<{ memberId: string }>(t(), 'GET', '/v1/whoami')
    expect(all.revisions[0]).toEqual({
      id: like(/^rev_/),
      number: 5,
      author: who.memberId,
      createdAt: like(/Z$/),
      changedKeys: ['B'],
      message: null,
    })
    const page = await ok<{ revisions: { number: number }[] }>(
      t(),
      'GET',
      `${base}?limit=2&before=4`,
    )
    expect(page.revisions.map((r) => r.number)).toEqual([3, 2])
  })

  it('diffs two revisions masked: config before/after, secrets by name only', async () => {
    const base = doc.replace(/document$/, 'diff')
    expect(await ok(t(), 'GET', `${base}?from=1&to=3`)).toEqual({
      from: 1,
      to: 3,
      added: [],
      removed: [],
      changed: [{ key: 'FEATURE_X', kind: 'config', before: 'on', after: 'maybe' }],
    })
    expect(await ok(t(), 'GET', `${base}?from=0&to=1`)).toEqual({
      from: 0,
      to: 1,
      added: [
        { key: 'DATABASE_HOST', kind: 'config', value: 'db.internal' },
        { key: 'DB_PASSWORD', kind: 'secret' },
        { key: 'FEATURE_X', kind: 'config', value: 'on' },
        { key: 'SHORT', kind: 'secret' },
      ],
      removed: [],
      changed: [],
    })
    const toHead = await ok<{ to: number; removed: unknown[] }>(t(), 'GET', `${base}?from=3`)
    expect(toHead.to).toBe(5)
    expect(toHead.removed).toEqual([
      { key: 'DATABASE_HOST', kind: 'config' },
      { key: 'DB_PASSWORD', kind: 'secret' },
      { key: 'FEATURE_X', kind: 'config' },
      { key: 'SHORT', kind: 'secret' },
    ])
    expectProblem(await call(t(), 'GET', `${base}?from=1&to=99`), 404, 'NOT_FOUND')
  })
})

describeApp('document replace that changes only layout', (t) => {
  it('a replace adding only a comment is a new revision that keeps the text', async () => {
    const p = await newProject(t())
    const doc = `/v1/projects/${p.slug}/environments/development/document`
    const put = (text: string, query = '') =>
      call(t(), 'PUT', `${doc}${query}`, { body: text, headers: { ...TEXT } })
    expect((await put('A=1\n')).statusCode).toBe(200)
    const res = await put('# note\nA=1\n', '?replace=true')
    expect(res.statusCode).toBe(200)
    expect(res.headers['etag']).toBe('"2"')
    expect((await call(t(), 'GET', doc)).body).toBe('# note\nA=1\n')
  })
})
