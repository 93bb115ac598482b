import { describeFinding, RULE_DESCRIPTIONS } from './report.ts'
import { RULE_IDS, type Finding } from './types.ts'

export interface SarifOptions {
  toolVersion: string
  /** `file:` URI of the directory the paths are relative to; becomes the `%SRCROOT%` base. */
  rootUri?: string
}

// Paths are relative and `/`-separated; each segment is percent-encoded so that a space or `#`
// in a file name still makes a valid URI reference.
function pathToUri(path: string): string {
  return path
    .split(/[\\/]/)
    .map((s) => encodeURIComponent(s))
    .join('/')
}

function sarifRules() {
  return RULE_IDS.map((id) => ({
    id,
    name: id,
    shortDescription: { text: RULE_DESCRIPTIONS[id] },
    defaultConfiguration: { level: 'error' },
  }))
}

function sarifResult(f: Finding, base: { uriBaseId?: string }) {
  return {
    ruleId: f.rule,
    ruleIndex: RULE_IDS.indexOf(f.rule),
    level: 'error',
    message: { text: `Leaked ${describeFinding(f)}` },
    locations: [
      {
        physicalLocation: {
          artifactLocation: { uri: pathToUri(f.path), ...base },
          region: { startLine: f.line, startColumn: f.column },
        },
      },
    ],
  }
}

/**
 * The findings as a SARIF 2.1.0 log (one run, one rule per scanner rule), the format code
 * scanning services import. Messages describe findings without their values.
 */
export function toSarif(findings: readonly Finding[], options: SarifOptions): object {
  const base = options.rootUri === undefined ? {} : { uriBaseId: '%SRCROOT%' }
  const run: Record<string, unknown> = {
    tool: { driver: { name: 'tresor', version: options.toolVersion, rules: sarifRules() } },
    results: findings.map((f) => sarifResult(f, base)),
  }
  if (options.rootUri !== undefined) {
    const uri = options.rootUri.endsWith('/') ? options.rootUri : `${options.rootUri}/`
    run.originalUriBaseIds = { '%SRCROOT%': { uri } }
  }
  return { $schema: 'https://json.schemastore.org/sarif-2.1.0.json', version: '2.1.0', runs: [run] }
}
