import {
  entriesOf,
  formatDotenvValue,
  mergeDocument,
  parseDocument,
  type EnvDocument,
} from '../../core/dotenv/index.ts'
import { AppError } from '../../core/errors.ts'
import { previewSecret } from '../../core/masking.ts'
import type { KeyKind } from '../../storage/store.ts'
import type { RequestContext } from '../context.ts'
import type { DocState } from '../documents/document-state.ts'
import type { CommitOptions, DocumentService } from '../documents/document-service.ts'
import type { Target } from '../projects/targets.ts'
import { assertNotAgent } from './agent-rules.ts'
import { addonProblems, changedKeys, kindWarnings, reservedProblems } from './var-rules.ts'

/** A trailing `# secret` comment marks a line's key as a secret in a document upload. */
const SECRET_MARK = /#\s*secret\s*$/i

/**
 * The document as dotenv text, safe to show: comments, blank lines and order as stored; each
 * secret's line reads `KEY=<preview> # secret`.
 */
export function maskedText(state: DocState): string {
  let out = state.doc.bom ? '\uFEFF' : ''
  for (const node of state.doc.nodes) {
    if (node.kind === 'entry' && state.meta.get(node.key)?.kind === 'secret') {
      const preview = formatDotenvValue(previewSecret(node.value), node.key)
      out += `${node.exported ? 'export ' : ''}${node.key}=${preview} # secret${node.eol}`
    } else out += node.raw + node.eol
  }
  return out
}

export interface PutTextOptions extends CommitOptions {
  replace?: boolean
  /** Import everything but the system variables (reported as warnings) instead of refusing. */
  skipReserved?: boolean
}

/**
 * Uploads a dotenv text: merged key by key (default) or as the whole new document. A secret line
 * that still holds its masked preview (a downloaded document sent back) keeps the stored value.
 */
export async function putDocumentText(
  documents: DocumentService,
  target: Target,
  ctx: RequestContext,
  text: string,
  opts: PutTextOptions = {},
) {
  assertNotAgent(ctx, 'upload documents (set variables one by one instead)')
  let upload = parseDocument(text)
  const lines = new Map<string, number>()
  const marked = new Set<string>()
  for (const node of upload.nodes) {
    if (node.kind !== 'entry') continue
    lines.set(node.key, node.line)
    if (SECRET_MARK.test(node.raw.slice(node.valueEnd))) marked.add(node.key)
  }
  const reserved = reservedProblems(target, lines.keys(), lines)
  if (reserved.length > 0 && opts.skipReserved !== true) {
    throw new AppError(
      'RESERVED_VARIABLE',
      'the document sets system variables; remove them or pass skipReserved',
      reserved,
    )
  }
  if (reserved.length > 0)
    upload = mergeDocument(upload, { delete: reserved.map((p) => p.key ?? '') }).doc
  const out = await documents.commit(
    target.scope,
    ctx,
    (state) => {
      // Add-on variables are checked against the locked head: a refusal changes nothing.
      const managed = addonProblems(state, lines.keys(), lines)
      if (managed.length > 0 && opts.skipReserved !== true) {
        throw new AppError(
          'RESERVED_VARIABLE',
          `${managed.map((p) => p.message).join('; ')} (remove them or pass skipReserved)`,
          managed,
        )
      }
      const kept =
        managed.length > 0
          ? mergeDocument(upload, { delete: managed.map((p) => p.key ?? '') }).doc
          : upload
      const { doc, kinds } = reconcile(state, kept, marked, opts.replace === true)
      const changed = changedKeys(state, doc, kinds)
      return {
        doc,
        kinds,
        changedKeys: changed,
        audit: {
          action: opts.replace === true ? 'document.replace' : 'document.merge',
          keys: changed,
        },
        result: [
          ...[...reserved, ...managed].map((p) => `${p.message} (line ${p.line ?? '?'} skipped)`),
          ...kindWarnings(kinds),
        ],
      }
    },
    opts,
  )
  return { state: out.state, warnings: out.result }
}

function reconcile(
  state: DocState,
  upload: EnvDocument,
  marked: ReadonlySet<string>,
  replace: boolean,
) {
  const kinds = new Map<string, KeyKind>()
  const keep: Array<[string, string]> = []
  const set: Array<[string, string]> = []
  for (const [key, value] of entriesOf(upload)) {
    const oldKind = state.meta.get(key)?.kind
    const kind: KeyKind = marked.has(key) ? 'secret' : (oldKind ?? 'config')
    kinds.set(key, kind)
    const old = state.values.get(key)
    const isPlaceholder = oldKind === 'secret' && old !== undefined && value === previewSecret(old)
    if (isPlaceholder) keep.push([key, old])
    else set.push([key, value])
  }
  // Into an empty document a merge and a replace set the same keys; the upload's text is kept
  // whole so that a first import keeps its comments, blank lines and `export`s.
  if (replace || state.doc.nodes.length === 0)
    return { doc: keep.length > 0 ? mergeDocument(upload, { set: keep }).doc : upload, kinds }
  return { doc: mergeDocument(state.doc, { set }).doc, kinds }
}
