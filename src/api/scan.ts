import { z } from 'zod'

/** One secret value as `tresor scan` needs it: a keyed fingerprint and its length, no value. */
export const FingerprintItemSchema = z.object({
  key: z.string().describe('The variable whose value this is'),
  environment: z
    .string()
    .nullable()
    .describe("The environment's slug; null for a project-level shared variable"),
  length: z.number().int().describe("The value's length in UTF-8 bytes"),
  hint: z
    .number()
    .int()
    .min(0)
    .max(4095)
    .describe("12 bits of a cheap keyed hash of the value's length and ends: a prefilter"),
  spaced: z.boolean().describe('The value contains a space or tab'),
  fingerprint: z
    .string()
    .regex(/^[0-9a-f]{32}$/)
    .describe('Hex of the first 16 bytes of HMAC-SHA256(scanKey, value)'),
})

/** `GET /v1/projects/{project}/scan-fingerprints`. */
export const ScanFingerprintsSchema = z.object({
  algorithm: z.literal('hmac-sha256-128').describe('How `fingerprint` is computed'),
  scanKey: z.string().describe("The project's scan key, base64 (tests guesses, reveals nothing)"),
  minLength: z.number().int().describe('Secrets shorter than this (bytes) are not fingerprinted'),
  items: z.array(FingerprintItemSchema),
  skipped: z
    .array(z.string())
    .describe('Environments left out: the token may neither reveal nor deploy there'),
})

export type ScanFingerprints = z.infer<typeof ScanFingerprintsSchema>
