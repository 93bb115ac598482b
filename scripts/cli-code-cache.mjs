// Writes the V8 code cache of dist/cli-client.js (its path is the argument) to `<path>.cache`:
// compiles the bundle as bin/tresor.js does, runs a few client verbs against a stub server on
// this machine (so that the functions they compile are cached too), then saves the cache with
// the bundle's build id in front. Run by scripts/build.mjs in a process of its own.
import { Buffer } from 'node:buffer'
import { readFileSync, renameSync, writeFileSync } from 'node:fs'
import { createServer } from 'node:http'
import { createRequire } from 'node:module'
import { dirname } from 'node:path'
import { Script } from 'node:vm'

const file = process.argv[2]
const source = readFileSync(file, 'utf8')
const id = /^\/\*([0-9a-f-]{36})\*\//.exec(source)?.[1]
if (id === undefined) throw new Error(`${file} has no build id`)
const script = new Script(source, { filename: file })
const bundle = { exports: {} }
script.runInThisContext()(bundle.exports, createRequire(file), bundle, file, dirname(file))

// Answers like a Tresor server would: a listing, a release's environment, and a problem for
// anything else.
const ANSWERS = [
  [/\/vars$/, { vars: [{ key: 'A', kind: 'config', value: '1' }], count: 1, revision: 1 }],
  [
    /\/releases\/latest\/env$/,
    {
      release: { id: 'rel_0000000000000000', number: 1, revision: 1, status: 'deployed' },
      env: {},
    },
  ],
]
const stub = createServer((req, res) => {
  const answer = ANSWERS.find(([path]) => path.test(req.url ?? ''))?.[1]
  res.writeHead(answer === undefined ? 404 : 200, {
    'content-type': answer === undefined ? 'application/problem+json' : 'application/json',
    'x-request-id': 'req_0000000000000000',
  })
  res.end(
    JSON.stringify(
      answer ?? { status: 404, code: 'NOT_FOUND', title: 'Not Found', detail: 'no such' },
    ),
  )
})
await new Promise((resolve) => stub.listen(0, '127.0.0.1', () => resolve(undefined)))
const address = stub.address()
process.env.TRESOR_URL = `http://127.0.0.1:${typeof address === 'object' ? address?.port : 0}`
process.env.TRESOR_TOKEN = 'tresor_code_cache_training_token_000000000'
process.env.XDG_CONFIG_HOME = '/nonexistent-tresor-config'
for (const argv of [
  ['config', '--json', '-p', 'p', '-e', 'e'],
  ['run', '-p', 'p', '-e', 'e', '--', process.execPath, '-e', '0'],
  ['run', '--release', '2', '-p', 'p', '-e', 'e', '--', 'true'],
  ['whoami'],
  ['run', '--help'],
])
  await bundle.exports.runClientCli(argv, '0.0.0')
stub.close()

const data = script.createCachedData()
writeFileSync(`${file}.cache.tmp`, Buffer.concat([Buffer.from(id, 'latin1'), data]))
renameSync(`${file}.cache.tmp`, `${file}.cache`)
