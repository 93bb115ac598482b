// The rules the dashboard applies as the user types (key names, masking, system names, which
// buttons to show) are the server's rules: each is checked against the src/core function it
// mirrors, on generated inputs or exhaustively.
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { can, ROLES, SCOPES, type Actor, type Role } from '../../src/core/actor.ts'
import { previewSecret } from '../../src/core/masking.ts'
import { isReserved } from '../../src/core/system-variables.ts'
import { explainInvalidName } from '../../src/core/variable-name.ts'
import type { Whoami } from '../../web/src/api/types.ts'
import { explainKey, isSystemName } from '../../web/src/lib/key-rule.ts'
import { maskValue } from '../../web/src/lib/mask.ts'
import { isAdmin, mayDeploy, mayReveal, mayWrite } from '../../web/src/lib/permissions.ts'

const keyish = fc.oneof(
  fc.stringMatching(/^[A-Za-z_][A-Za-z0-9_.-]{0,20}$/),
  fc.string({ unit: 'binary', maxLength: 12 }),
  fc.string({ unit: 'grapheme', maxLength: 8 }),
  fc.constantFrom(
    '',
    'PORT',
    'APP_ENV',
    'TRESOR_X',
    'A'.repeat(256),
    'A'.repeat(257),
    'A B',
    'A\tB',
  ),
  fc
    .tuple(
      fc.stringMatching(/^[A-Z_]{1,6}$/),
      fc.constantFrom(' ', '\n', '\u0000', 'é', '😀', '$', '='),
      fc.stringMatching(/^[A-Z]{0,4}$/),
    )
    .map((p) => p.join('')),
)

describe('dashboard rules mirror the server', () => {
  it('explains an invalid key exactly as the server does', () => {
    fc.assert(
      fc.property(keyish, (key) => {
        expect(explainKey(key)).toBe(explainInvalidName(key))
      }),
      { numRuns: 3000 },
    )
  })

  it('masks a typed value exactly as the server previews a stored secret', () => {
    const values = fc.oneof(
      fc.string({ unit: 'binary', maxLength: 40 }),
      fc.string({ unit: 'grapheme', maxLength: 30 }),
      fc.string({ minLength: 14, maxLength: 18 }),
    )
    fc.assert(
      fc.property(values, (v) => {
        expect(maskValue(v)).toBe(previewSecret(v))
      }),
      { numRuns: 3000 },
    )
  })

  it('names the same system variables (without add-ons)', () => {
    fc.assert(
      fc.property(keyish, (key) => {
        expect(isSystemName(key)).toBe(isReserved(key))
      }),
      { numRuns: 1000 },
    )
  })

  it('shows write, deploy, admin and reveal actions exactly when the server allows them', () => {
    let cases = 0
    const kinds: Array<Role | 'service'> = [...ROLES, 'service']
    for (const kind of kinds) {
      for (let mask = 0; mask < 1 << (SCOPES.length + 1); mask++) {
        const scopes = SCOPES.filter((_, i) => (mask & (1 << i)) !== 0)
        // The last bit: the member's grant to reveal production secrets.
        const granted = (mask & (1 << SCOPES.length)) !== 0
        const actor: Actor = {
          kind: kind === 'service' ? 'token' : 'member',
          id: 'x',
          workspaceId: 'ws',
          scopes,
          tokenId: 'tok',
          ...(kind === 'service' ? {} : { role: kind, memberId: 'mem' }),
          ...(granted ? { revealProduction: true } : {}),
        }
        const me: Whoami = {
          workspaceId: 'ws',
          actor: { kind: actor.kind, id: 'x' },
          memberId: kind === 'service' ? null : 'mem',
          role: kind === 'service' ? null : kind,
          tokenId: 'tok',
          scopes,
          revealProduction: granted,
        }
        const ws = { workspaceId: 'ws' }
        expect([mayWrite(me), mayDeploy(me), isAdmin(me)]).toEqual([
          can(actor, 'write', ws),
          can(actor, 'deploy', ws),
          can(actor, 'admin', ws),
        ])
        for (const env of ['production', 'staging']) {
          expect(mayReveal(me, env)).toBe(
            can(actor, 'secrets:reveal', { ...ws, environmentSlug: env }),
          )
          cases++
        }
      }
    }
    expect(cases).toBe(5 * 64 * 2)
  })
})
