import { CREDENTIAL_RULES } from './rules.ts'
import { RULE_IDS, type Finding, type RuleId } from './types.ts'

const OWN_SECRET = "A value of one of the project's secrets (matched by keyed fingerprint)"

/** A sentence per rule, for help texts and SARIF rule metadata. */
export const RULE_DESCRIPTIONS: Readonly<Record<RuleId, string>> = Object.fromEntries(
  RULE_IDS.map((id) => [
    id,
    id === 'own-secret'
      ? OWN_SECRET
      : CREDENTIAL_RULES.filter((r) => r.id === id)
          .map((r) => r.description)
          .join('; '),
  ]),
) as Record<RuleId, string>

/** What a finding is, in words that never contain the matched value. */
export function describeFinding(f: Finding): string {
  if (f.rule === 'own-secret') {
    const where = f.environment === undefined ? 'project-level' : `environment ${f.environment}`
    return `value of secret ${f.key ?? '?'} (${where})`
  }
  const name = RULE_DESCRIPTIONS[f.rule].split(' (')[0]?.split(';')[0] ?? f.rule
  return f.hint === undefined ? name : `${name}: ${f.hint}`
}

/** One line per finding, `path:line:column  rule  description`, sorted by path then position. */
export function formatFindingsText(findings: readonly Finding[]): string {
  return findings
    .map((f) => `${f.path}:${f.line}:${f.column}  ${f.rule}  ${describeFinding(f)}\n`)
    .join('')
}

/** Orders findings by path, line and column so every output is stable. */
export function sortFindings(findings: Finding[]): Finding[] {
  return findings.sort(
    (a, b) =>
      (a.path < b.path ? -1 : a.path > b.path ? 1 : 0) || a.line - b.line || a.column - b.column,
  )
}
