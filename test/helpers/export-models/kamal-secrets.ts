// A model of how Kamal 2.12 reads `.kamal/secrets` (lib/kamal/secrets.rb, secrets/dotenv/
// inline_command_substitution.rb, cli/secrets.rb) over the Ruby dotenv 3.2 model: commands
// starting with `kamal secrets` run in-process (their line shell-split, the result chomped),
// anything else through `/bin/sh -c` like Ruby's backticks (stdout only, exit status ignored).
import { spawnSync } from 'node:child_process'
import { parseRubyDotenv } from './ruby-dotenv.ts'

// Ruby's Shellwords.shellsplit, with Ruby's \s ([ \t\r\n\f\v]).
const SPLIT =
  /[ \t\r\n\f\v]*(?:([^\0 \t\r\n\f\v\\'"]+)|'([^\0']*)'|"((?:[^\0"\\]|\\[^\0])*)"|(\\[^\0]?)|(\S))/y
const SPACE = /[ \t\r\n\f\v]/

/** Ruby's `String#shellsplit`; throws like Ruby on an unmatched quote. */
export function rubyShellSplit(line: string): string[] {
  const words: string[] = []
  let field = ''
  SPLIT.lastIndex = 0
  while (SPLIT.lastIndex < line.length) {
    const m = SPLIT.exec(line)
    if (m === null) break // only trailing whitespace was left
    const [, word, sq, dq, esc, garbage] = m
    if (garbage !== undefined) throw new Error(`Unmatched quote at ${m.index}`)
    field +=
      word ??
      sq ??
      (dq !== undefined
        ? dq.replace(/\\([$`"\\\n])/g, '$1')
        : (esc ?? '').replace(/\\([^\n])/g, '$1'))
    // Ruby's `(\s|\z)?`: a word ends at one whitespace character or at the end.
    const next = line[SPLIT.lastIndex]
    if (next === undefined || SPACE.test(next)) {
      if (next !== undefined) SPLIT.lastIndex += 1
      words.push(field)
      field = ''
    }
  }
  return words
}

/** `kamal secrets extract NAME JSON`: the value of NAME, or of a key ending in `/NAME`. */
export function kamalExtract(name: string, json: string): string {
  const parsed = JSON.parse(json) as Record<string, unknown>
  const found = Object.hasOwn(parsed, name)
    ? parsed[name]
    : Object.entries(parsed).find(([k]) => k.endsWith(`/${name}`))?.[1]
  if (found === undefined || found === null) throw new Error(`Could not find secret ${name}`)
  return typeof found === 'string' ? found : JSON.stringify(found)
}

export interface KamalSecretsOptions {
  /** Environment and directory of the commands run through the shell. */
  env?: Record<string, string>
  cwd?: string
  /** Stands in for the shell (fast property tests); default `/bin/sh -c`. */
  shell?: (command: string) => string
}

/** What `Dotenv.parse(file, overwrite: true)` gives Kamal 2.12 for one secrets file. */
export function parseKamalSecrets(
  text: string,
  opts: KamalSecretsOptions = {},
): Map<string, string> {
  return parseRubyDotenv(text, {
    kamal: true,
    run: (command) => {
      if (/^\s*kamal\s*secrets\s+/.test(command))
        return inlineKamal(rubyShellSplit(command).slice(1))
      if (opts.shell !== undefined) return opts.shell(command)
      const r = spawnSync('/bin/sh', ['-c', command], {
        env: opts.env ?? {},
        cwd: opts.cwd,
        stdio: ['ignore', 'pipe', 'inherit'],
      })
      return r.stdout.toString()
    },
  })
}

function inlineKamal(args: string[]): string {
  const [group, verb, name, json] = args
  if (group !== 'secrets' || verb !== 'extract' || name === undefined || json === undefined)
    throw new Error(`the model runs only kamal secrets extract, not: ${args.slice(0, 2).join(' ')}`)
  // inline_secrets_command chomps this once; parseRubyDotenv's command step does that chomp.
  return kamalExtract(name, json)
}
