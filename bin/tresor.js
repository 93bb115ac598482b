#!/usr/bin/env node
/* global require, __dirname */
'use strict'
// CommonJS (bin/package.json): a CommonJS entry starts without Node's ESM loader. The client
// verbs run from dist/cli-client.js, compiled with the V8 code cache that scripts/build.mjs made
// for it; the server-side verbs from the ESM bundle dist/cli.js.
const argv = process.argv.slice(2)

if (argv.length === 1 && (argv[0] === '--version' || argv[0] === '-v')) {
  // A plain write to fd 1: creating process.stdout's stream costs more than the rest of this.
  require('node:fs').writeSync(1, `${require('../package.json').version}\n`)
} else if (argv[0] === 'server' || argv[0] === 'keys:rotate-root' || argv[0] === 'mcp') {
  import('../dist/cli.js')
} else {
  const { readFileSync } = require('node:fs')
  const { join } = require('node:path')
  const dir = join(__dirname, '..', 'dist')
  const file = join(dir, 'cli-client.js')
  const source = readFileSync(file, 'utf8')
  let cachedData
  try {
    // Its first 36 bytes name the build it was made from; V8 itself checks only the length.
    const raw = readFileSync(`${file}.cache`)
    if (source.startsWith(`/*${raw.toString('latin1', 0, 36)}*/`)) cachedData = raw.subarray(36)
  } catch {
    // No cache (a build that could not make one): compiled without it.
  }
  const { Script } = require('node:vm')
  const bundle = { exports: {} }
  new Script(source, { filename: file, cachedData }).runInThisContext()(
    bundle.exports,
    require,
    bundle,
    file,
    dir,
  )
  bundle.exports.main()
}
