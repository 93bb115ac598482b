import { optionsOf } from './argv.ts'
import type { VerbSpec } from './spec.ts'

const pad = (rows: Array<[string, string]>, width = Math.max(...rows.map(([a]) => a.length))) =>
  rows.map(([a, b]) => `  ${a.padEnd(width)}  ${b}`.trimEnd()).join('\n')

/** `tresor --help`: every verb under its group heading, and where settings come from. */
export function programHelp(verbs: readonly VerbSpec[]): string {
  const groups = new Map<string, VerbSpec[]>()
  for (const v of verbs) groups.set(v.group, [...(groups.get(v.group) ?? []), v])
  const width = Math.max(...verbs.map((v) => v.name.length))
  const sections = [...groups].map(
    ([heading, list]) =>
      `${heading}\n${pad(
        list.map((v) => [v.name, v.summary]),
        width,
      )}`,
  )
  return [
    'Usage: tresor <command> [options]',
    '',
    'Environment variables and secrets for deployed apps.',
    '',
    ...sections.flatMap((s) => [s, '']),
    'Options:',
    pad([
      ['-v, --version', 'print the version'],
      ['-h, --help', 'show this help; tresor <command> --help for a command'],
    ]),
    '',
    'Settings: TRESOR_URL and TRESOR_TOKEN (or tresor login), TRESOR_PROJECT, TRESOR_ENV.',
    '',
    'Examples:',
    '  $ tresor login --url http://127.0.0.1:7070',
    '  $ tresor config -p myapp -e staging',
    '',
  ].join('\n')
}

/** `tresor VERB --help`: usage, what it does, its options and examples. */
export function verbHelp(spec: VerbSpec): string {
  const usage = ['tresor', spec.name, ...(spec.args ?? []), '[options]'].join(' ')
  const options = optionsOf(spec).map((o): [string, string] => [
    `${o.short === undefined ? '    ' : `-${o.short}, `}--${o.long}${o.value === undefined ? '' : ` ${o.value}`}`,
    o.description + (o.repeatable === true ? ' (repeatable)' : ''),
  ])
  return [
    `Usage: ${usage}`,
    '',
    `${spec.summary[0]?.toUpperCase() ?? ''}${spec.summary.slice(1)}.`,
    '',
    'Options:',
    pad(options),
    '',
    'Examples:',
    ...spec.examples.map((e) => `  $ ${e}`),
    '',
  ].join('\n')
}
