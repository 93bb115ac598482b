// A fake `kamal` for the docs tests (Kamal cannot be installed here): `secrets extract`,
// `secrets print` and `deploy`, with Kamal 2.12's reading of `.kamal/secrets` (the model in
// test/helpers/export-models/kamal-secrets.ts). `deploy` records the env the containers would
// get, as JSON, in $FAKE_KAMAL_RECORD instead of deploying.
import { existsSync, readFileSync, writeFileSync } from 'node:fs'
import { parse as parseYaml } from 'yaml'
import { kamalExtract, parseKamalSecrets } from '../../helpers/export-models/kamal-secrets.ts'

const args = process.argv.slice(2)
const destination = args.includes('-d') ? args[args.indexOf('-d') + 1] : undefined

function fail(message: string): never {
  process.stderr.write(`  ERROR (Kamal::ConfigurationError): ${message}\n`)
  process.exit(1)
}

function secrets(): Map<string, string> {
  const env = Object.fromEntries(
    Object.entries(process.env).filter((e): e is [string, string] => e[1] !== undefined),
  )
  const main = [destination && `.kamal/secrets.${destination}`, '.kamal/secrets'].find(
    (f) => f && existsSync(f),
  )
  const out = new Map<string, string>()
  for (const file of ['.kamal/secrets-common', main])
    if (file && existsSync(file))
      for (const [k, v] of parseKamalSecrets(readFileSync(file, 'utf8'), { env })) out.set(k, v)
  return out
}

function deploy(): void {
  const text = readFileSync('config/deploy.yml', 'utf8')
  if (text.includes('<%')) fail('this fake does not run ERB')
  const config = parseYaml(text) as {
    image: string
    registry?: { password?: string[] }
    env?: { clear?: Record<string, unknown>; secret?: string[] }
  }
  const found = secrets()
  const lookup = (key: string) =>
    found.get(key) ?? fail(`Secret '${key}' not found in .kamal/secrets`)
  const env: Record<string, string> = {}
  for (const [k, v] of Object.entries(config.env?.clear ?? {})) env[k] = String(v)
  for (const k of config.env?.secret ?? []) env[k] = lookup(k)
  const registry = (config.registry?.password ?? []).map(lookup)
  writeFileSync(
    process.env.FAKE_KAMAL_RECORD ?? 'kamal-record.json',
    JSON.stringify({ image: config.image, env, registry }),
  )
  process.stdout.write(
    `fake kamal: deployed ${config.image} with ${Object.keys(env).length} variables\n`,
  )
}

if (args[0] === 'secrets' && args[1] === 'extract' && args[2] && args[3])
  process.stdout.write(`${kamalExtract(args[2], args[3])}\n`)
else if (args[0] === 'secrets' && args[1] === 'print')
  for (const [k, v] of secrets()) process.stdout.write(`${k}=${v}\n`)
else if (args[0] === 'deploy') deploy()
else fail(`the fake kamal does not implement: ${args.join(' ')}`)
