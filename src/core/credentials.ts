// One entropy measure for the MCP/agent checks and the leak scanner.
import { shannonEntropy } from './scan/checksum.ts'

export { shannonEntropy }

// Why a value (or a key's name) looks like a credential, so that `set_env_vars` can refuse it:
// secret values must reach Tresor through a secret request, never through the agent. Findings
// name the rule, never any part of the value.

/** A known credential shape, found anywhere in a value. */
interface Shape {
  name: string
  pattern: RegExp
}

const SHAPES: readonly Shape[] = [
  {
    name: 'a Stripe secret key (sk_live_/sk_test_/rk_…)',
    pattern: /\b[rs]k_(?:live|test)_[0-9A-Za-z]{8,}/,
  },
  { name: 'a GitHub token (ghp_/gho_/ghu_/ghs_/ghr_)', pattern: /\bgh[pousr]_[0-9A-Za-z]{20,}/ },
  { name: 'a GitHub fine-grained token (github_pat_)', pattern: /\bgithub_pat_[0-9A-Za-z_]{20,}/ },
  { name: 'a Slack token (xoxb-/xoxp-/…)', pattern: /\bxox[abposr]-[0-9A-Za-z-]{8,}/ },
  { name: 'an AWS access key id (AKIA/ASIA)', pattern: /\b(?:AKIA|ASIA)[0-9A-Z]{16}\b/ },
  {
    name: 'a PEM private key block',
    pattern: /-----BEGIN (?:[A-Z0-9]+ )*PRIVATE KEY(?: BLOCK)?-----/,
  },
  {
    name: 'a Tresor token (tresor_pat_/tresor_svc_)',
    pattern: /\btresor_(?:pat|svc)_[0-9A-Za-z_]{16,}/,
  },
  {
    name: 'a JSON Web Token',
    pattern: /\beyJ[0-9A-Za-z_-]{8,}\.eyJ[0-9A-Za-z_-]{8,}\.[0-9A-Za-z_-]*/,
  },
  { name: 'an OpenAI/Anthropic API key (sk-…)', pattern: /\bsk-(?:proj-|ant-)?[0-9A-Za-z_-]{20,}/ },
  { name: 'a Google API key (AIza…)', pattern: /\bAIza[0-9A-Za-z_-]{35}/ },
  { name: 'a GitLab token (glpat-)', pattern: /\bglpat-[0-9A-Za-z_-]{20,}/ },
  { name: 'an npm token (npm_)', pattern: /\bnpm_[0-9A-Za-z]{36}\b/ },
]

// `scheme://user:password@host`: the password part, unless it is only a `${{…}}` reference.
const URL_PASSWORD = /\b[a-z][a-z0-9+.-]*:\/\/[^\s:/@]*:([^\s@/]+)@/i
const REFERENCE = /\$\{\{[^}]*\}\}/g
// Random-looking but public by design: Stripe publishable keys and content digests (an image's
// `sha256:…`) are config, so they are taken out before the entropy rule.
const PUBLIC_SHAPES = /\bpk_(?:live|test)_[0-9A-Za-z]+|\bsha(?:1|256|384|512):[0-9a-f]+/g

/** The entropy rule: runs of these characters are measured (base64, base64url, hex, base62). */
const RUN = /[A-Za-z0-9+/=_-]+/g
/** Shortest run measured: shorter random strings are not worth the false positives. */
export const MIN_RUN_LENGTH = 20
/** Hex runs must be this long: 32 hex digits = 128 bits, the shortest common key. */
export const MIN_HEX_LENGTH = 32
/** Shannon entropy (bits per character) at or above which a hex run counts as random. */
export const HEX_ENTROPY = 3.0
/** Ceiling of the entropy a mixed run needs: 0.85 × log2(length), capped at this. */
export const MIXED_ENTROPY_CAP = 4.0

// A random-looking run: long hex with spread digits, or a long run mixing digits, lower- and
// upper-case letters whose entropy is near the most its length allows (natural words repeat
// letters and rarely mix all three classes).
function looksRandom(run: string): boolean {
  if (/^[0-9a-fA-F]+$/.test(run))
    return run.length >= MIN_HEX_LENGTH && shannonEntropy(run) >= HEX_ENTROPY
  if (run.length < MIN_RUN_LENGTH) return false
  if (!/[0-9]/.test(run) || !/[a-z]/.test(run) || !/[A-Z]/.test(run)) return false
  const needed = Math.min(0.85 * Math.log2(run.length), MIXED_ENTROPY_CAP)
  return shannonEntropy(run) >= needed
}

/** Why `value` looks like a credential, or undefined. Never quotes the value. */
export function credentialIn(value: string): string | undefined {
  for (const shape of SHAPES) if (shape.pattern.test(value)) return `looks like ${shape.name}`
  const url = URL_PASSWORD.exec(value)
  if (url?.[1] !== undefined && url[1].replace(REFERENCE, '') !== '')
    return 'is a URL with a password in it'
  for (const run of value.replace(REFERENCE, ' ').replace(PUBLIC_SHAPES, ' ').match(RUN) ?? [])
    if (looksRandom(run)) return 'looks like a random key or token (high entropy)'
  return undefined
}

// Names that say "I hold a secret" (…_PASSWORD, …_SECRET, …_TOKEN, …_API_KEY): such a key
// takes only a `${{…}}` reference or an empty value through the agent. Public keys are config.
const SECRET_NAME =
  /(PASSWORD|PASSWD|SECRET|TOKEN|API_?KEY|PRIVATE_KEY|ACCESS_KEY|SECRET_KEY|CREDENTIALS?)$/i
const PUBLIC_NAME = /PUBLIC|PUBLISHABLE/i

/** Why the key's name says its value is a secret, or undefined. */
export function secretName(key: string, value: string): string | undefined {
  if (!SECRET_NAME.test(key) || PUBLIC_NAME.test(key)) return undefined
  if (value.replace(REFERENCE, '').trim() === '') return undefined
  return 'is named like a secret'
}

/** `text` with every known credential shape and URL password replaced by `[redacted]`. */
export function redactCredentials(text: string): string {
  let out = text
  for (const shape of SHAPES) out = out.replace(new RegExp(shape.pattern.source, 'g'), '[redacted]')
  return out.replace(new RegExp(URL_PASSWORD.source, 'gi'), (match: string, pw: string) =>
    pw.replace(REFERENCE, '') === '' ? match : match.replace(`:${pw}@`, ':[redacted]@'),
  )
}
