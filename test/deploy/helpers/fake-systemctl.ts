// A fake `systemctl` for the docs tests (no systemd manager runs here): `daemon-reload` does
// nothing; `restart UNIT` reads the unit under $FAKE_ROOT, parses its EnvironmentFile= with the
// systemd 252 model and records the env the service would start with in $FAKE_SYSTEMCTL_RECORD.
import { readFileSync, statSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { parseSystemdEnvFile } from '../../helpers/export-models/systemd-env-file.ts'

const [verb, unit] = process.argv.slice(2)
const root = process.env.FAKE_ROOT ?? '/nonexistent'
const inRoot = (path: string) => (path.startsWith('/etc/') ? join(root, path) : path)

if (verb === 'restart' && unit !== undefined) {
  const text = readFileSync(inRoot(`/etc/systemd/system/${unit}.service`), 'utf8')
  const files = [...text.matchAll(/^EnvironmentFile=-?(.+)$/gm)].map((m) => inRoot(m[1] ?? ''))
  const env: Record<string, string> = {}
  for (const file of files)
    for (const [k, v] of parseSystemdEnvFile(readFileSync(file, 'utf8'))) env[k] = v
  const modes = files.map((f) => (statSync(f).mode & 0o777).toString(8))
  writeFileSync(
    process.env.FAKE_SYSTEMCTL_RECORD ?? 'systemctl-record.json',
    JSON.stringify({ unit, files, modes, env }),
  )
} else if (verb !== 'daemon-reload') {
  process.stderr.write(`fake systemctl: ${verb ?? ''} is not implemented\n`)
  process.exit(1)
}
