import type { ErrorDetail } from '../errors.ts'
import { parseTemplate, type Reference, type TemplatePart } from './scan.ts'

type Scope = 'env' | 'project' | 'system'
interface Frame {
  id: string
  parts: TemplatePart[]
  targets: string[]
  next: number
  failed: boolean
}

function split(id: string): [Scope, string] {
  const colon = id.indexOf(':')
  return [id.slice(0, colon) as Scope, id.slice(colon + 1)]
}

function label(id: string): string {
  const [scope, name] = split(id)
  return scope === 'project' ? `project.${name}` : name
}

/**
 * The reference graph of one resolution. Node ids are `env:K`, `project:K` and `system:K`, split
 * at the first colon so any key works. `visit` is an iterative DFS with memoized results, so a 10,000
 * long chain neither recurses nor revisits; a back edge to a node on the stack is a cycle.
 */
export class Graph {
  readonly errors: ErrorDetail[] = []
  private readonly resolved = new Map<string, string>()
  private readonly failed = new Set<string>()
  private readonly onStack = new Map<string, number>()
  private readonly reported = new Set<string>()

  constructor(
    readonly env: ReadonlyMap<string, string>,
    readonly project: ReadonlyMap<string, string>,
    readonly system: ReadonlyMap<string, string>,
  ) {}

  valueOf(key: string): string {
    return this.system.get(key) ?? this.resolved.get(`env:${key}`) ?? ''
  }

  visit(root: string): void {
    if (this.resolved.has(root) || this.failed.has(root)) return
    const stack = [this.open(root)]
    while (stack.length > 0) {
      const top = stack[stack.length - 1] as Frame
      if (top.next < top.parts.length) {
        const child = this.step(top, stack)
        if (child !== undefined) stack.push(this.open(child))
        continue
      }
      stack.pop()
      this.onStack.delete(top.id)
      if (top.failed) {
        this.failed.add(top.id)
        const parent = stack[stack.length - 1]
        if (parent) parent.failed = true
      } else this.resolved.set(top.id, this.render(top))
    }
  }

  /** Looks at the frame's next part; returns a target id that still has to be resolved. */
  private step(top: Frame, stack: Frame[]): string | undefined {
    const part = top.parts[top.next] as TemplatePart
    top.next += 1
    if (part.kind === 'text') return undefined
    if (part.kind === 'malformed') {
      top.failed = true
      this.report(
        top.id,
        `has a malformed reference at character ${part.start + 1}: ${part.reason}`,
      )
      return undefined
    }
    const target = this.lookup(top.id, part)
    top.targets.push(target ?? '')
    if (target === undefined) {
      top.failed = true
      const where =
        part.kind === 'project' || top.id.startsWith('project:') ? ' in the project' : ''
      this.report(top.id, `references ${show(part)}, which is not set${where}`)
      return undefined
    }
    if (target.startsWith('system:') || this.resolved.has(target)) return undefined
    if (this.failed.has(target)) {
      top.failed = true
      return undefined
    }
    const at = this.onStack.get(target)
    if (at === undefined) return target
    top.failed = true
    const cycle = [...stack.slice(at).map((f) => label(f.id)), label(target)]
    const first = stack[at] as Frame
    this.report(first.id, `is part of a reference cycle: ${cycle.join(' → ')}`)
    return undefined
  }

  private lookup(from: string, ref: Extract<Reference, { name: string }>): string | undefined {
    const inProject = ref.kind === 'project' || from.startsWith('project:')
    if (inProject) return this.project.has(ref.name) ? `project:${ref.name}` : undefined
    if (this.system.has(ref.name)) return `system:${ref.name}`
    return this.env.has(ref.name) ? `env:${ref.name}` : undefined
  }

  private open(id: string): Frame {
    this.onStack.set(id, this.onStack.size)
    const [scope, name] = split(id)
    const source = scope === 'project' ? this.project : this.env
    const parts = parseTemplate(source.get(name) ?? '')
    return { id, parts, targets: [], next: 0, failed: false }
  }

  private render(frame: Frame): string {
    let out = ''
    let t = 0
    for (const part of frame.parts) {
      if (part.kind === 'text') out += part.text
      else {
        const [scope, name] = split(frame.targets[t++] as string)
        out +=
          scope === 'system'
            ? (this.system.get(name) ?? '')
            : (this.resolved.get(`${scope}:${name}`) ?? '')
      }
    }
    return out
  }

  private report(holder: string, message: string): void {
    const key = label(holder)
    const dedupe = `${key}\u0000${message}`
    if (this.reported.has(dedupe)) return
    this.reported.add(dedupe)
    this.errors.push({ key, message })
  }
}

function show(ref: Extract<Reference, { name: string }>): string {
  return ref.kind === 'project' ? `\${{project.${ref.name}}}` : `\${{${ref.name}}}`
}
