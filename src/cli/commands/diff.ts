import type { TresorClient } from '../../client/index.ts'
import { stylesFor } from '../format.ts'
import { UsageError } from '../errors.ts'
import type { EnvTarget, Verb, VerbContext } from '../spec.ts'
import { diffLines, isEmpty, type MaskedChanges } from './diff-view.ts'

/** One side of a diff: an environment, a revision number, or a release. */
export type DiffSide =
  | { kind: 'env'; env: string }
  | { kind: 'revision'; revision: number }
  | { kind: 'release'; ref: string }

/** `3` is a revision; `release:3`, `release:latest` and `rel_…` are releases; else a slug. */
export function parseSide(text: string): DiffSide {
  if (/^\d{1,9}$/.test(text)) return { kind: 'revision', revision: Number(text) }
  const rel = /^release:(\d{1,9}|latest)$/.exec(text)
  if (rel?.[1] !== undefined) return { kind: 'release', ref: rel[1] }
  if (/^rel_[0-9a-z]{16}$/.test(text)) return { kind: 'release', ref: text }
  return { kind: 'env', env: text }
}

type Point = { revision: number; release?: number; projectRevision?: number }

type PointSide = Exclude<DiffSide, { kind: 'env' }>

async function pointOf(client: TresorClient, t: EnvTarget, side: PointSide): Promise<Point> {
  if (side.kind === 'revision') return { revision: side.revision }
  const r = await client.releases.get(t, side.ref)
  return { revision: r.revision, release: r.number, projectRevision: r.projectRevision }
}

type DiffJson = MaskedChanges & { from: string | number; to: string | number } & Record<
    string,
    unknown
  >

// Revisions and releases of one environment: the server compares the values themselves.
async function pointsDiff(ctx: VerbContext, a: PointSide, b: PointSide) {
  const client = ctx.client()
  const t = ctx.target()
  const [from, to] = await Promise.all([pointOf(client, t, a), pointOf(client, t, b)])
  const json: DiffJson = await client.documents.diff(t, from.revision, to.revision)
  if (from.release !== undefined) json.fromRelease = from.release
  if (to.release !== undefined) json.toRelease = to.release
  const notes =
    from.projectRevision !== undefined &&
    to.projectRevision !== undefined &&
    from.projectRevision !== to.projectRevision
      ? [
          `The project's shared variables differ too (project revision ${from.projectRevision} → ${to.projectRevision}); they are not part of this diff.`,
        ]
      : []
  return { json, notes }
}

/**
 * `tresor diff A B [--exit-code]`: two environments of a project, or two revisions or releases
 * (`release:N`) of one environment. Secret values are never shown, only that they changed.
 * `--exit-code` exits 1 when they differ, as `git diff --exit-code` does.
 */
export const diff: Verb = async (ctx) => {
  const [a = '', b = ''] = ctx.args
  const [sa, sb] = [parseSide(a), parseSide(b)]
  let json: DiffJson
  let notes: string[] = []
  if (sa.kind === 'env' && sb.kind === 'env') {
    // The server opens both documents, so secrets are compared by value (and never shown).
    const out = await ctx.client().documents.compare(ctx.project(), sa.env, sb.env)
    json = out
    if (out.identicalSecrets.length > 0)
      notes = [`Secrets with the same value in ${a} and ${b}: ${out.identicalSecrets.join(', ')}.`]
  } else if (sa.kind !== 'env' && sb.kind !== 'env') {
    const out = await pointsDiff(ctx, sa, sb)
    json = out.json
    notes = out.notes
  } else {
    throw new UsageError(
      'compare two environments (staging production), or two revisions (3 5) or releases (release:2 release:4) of one',
    )
  }
  const lines = diffLines(json, stylesFor(ctx.io.stdoutIsTTY, ctx.io.env))
  const same = isEmpty(json)
  return {
    json,
    text: lines.map((l) => `${l}\n`).join(''),
    notes: [...(same ? [`No differences between ${a} and ${b}.`] : []), ...notes],
    exitCode: ctx.flags.exitCode === true && !same ? 1 : 0,
  }
}
