import type { HintFilter, LengthFilter, PassEngine, PassSink, PassTargets } from './pass-types.ts'
import { IS_BLANK, KEY_BYTE, RUN_CLASS } from './classes.ts'
import { LAYOUT, PASS_WASM } from './runs-wasm.ts'

/** No engine: `scanPass` does the work itself, in JavaScript. */
export const jsPass: PassEngine = () => undefined

// Files that need more are left to JavaScript, so no worker keeps a huge wasm memory for good.
const MAX_MEMORY = 64 * 1024 * 1024
const PAGE = 65536
const PAD = 16
const MAX_I32 = 0x7fffffff

interface Module {
  pass: (
    n: number,
    m: number,
    minLen: number,
    maxLen: number,
    base: number,
    filter: number,
  ) => number
  mem: { readonly buffer: ArrayBuffer; grow(pages: number): number }
}

// The part of the WebAssembly API used here (the project's TypeScript libs do not declare it).
interface Wasm {
  Module: new (bytes: Uint8Array) => object
  Instance: new (module: object, imports: object) => { exports: unknown }
}

// The sink of the pass under way: the module hands it what it found, OUT at a time.
let sink: PassSink | undefined

function deliver(mod: Module, end: number): void {
  const pairs = new Int32Array(mod.mem.buffer, LAYOUT.OUT, (end - LAYOUT.OUT) >>> 2)
  const to = sink as PassSink
  for (let k = 0; k < pairs.length; k += 2) {
    const b = pairs[k + 1] as number
    if (b < 0) to.keywordAt(pairs[k] as number)
    else to.candidate(pairs[k] as number, b)
  }
}

function instantiate(): Module | undefined {
  try {
    const wasm = (globalThis as { WebAssembly?: Wasm }).WebAssembly
    if (wasm === undefined) return undefined
    const module = new wasm.Module(Buffer.from(PASS_WASM, 'base64'))
    const flush = (pairs: number) => deliver(mod, LAYOUT.OUT + 8 * pairs)
    const mod = new wasm.Instance(module, { env: { flush } }).exports as Module
    const heap = new Uint8Array(mod.mem.buffer)
    heap.set(RUN_CLASS, LAYOUT.CLASS)
    heap.set(KEY_BYTE, LAYOUT.KEY_BYTE)
    heap.set(IS_BLANK, LAYOUT.IS_BLANK)
    return mod
  } catch {
    return undefined // no SIMD (or no compiler): the JavaScript loop does the work
  }
}

let wasm: Module | undefined | null = null
// The tables in the module's memory now: reloaded when a pass brings others.
let loadedPairs: Uint8Array | undefined
let loadedLengths: LengthFilter | undefined
let loadedHints: HintFilter | undefined

function load(heap: Uint8Array, { pairs, lengths, hints }: PassTargets): void {
  if (pairs !== loadedPairs) {
    const first = heap.subarray(LAYOUT.FIRST, LAYOUT.FIRST + 256).fill(0)
    for (let p = 0; p < 65536; p++) {
      const on = pairs[p] === 1 ? 1 : 0
      heap[LAYOUT.PAIRS + p] = on
      if (on === 1) first[p >>> 8] = 1
    }
    loadedPairs = pairs
  }
  if (lengths !== loadedLengths) {
    for (let len = 0; len <= LAYOUT.MAX_WANTED; len++)
      heap[LAYOUT.WANTED + len] = len <= lengths.maxLength && lengths.wanted[len] === 1 ? 1 : 0
    loadedLengths = lengths
  }
  if (hints !== undefined && hints !== loadedHints) {
    heap.set(hints.hints, LAYOUT.HINTS)
    loadedHints = hints
  }
}

/** The WebAssembly (SIMD) pass, see scripts/gen-scan-wasm.mjs. */
export const wasmPass: PassEngine = (bytes, m, targets, to) => {
  if (wasm === null) wasm = instantiate()
  const n = bytes.length
  const { lengths, hints } = targets
  const need = LAYOUT.INPUT + n + PAD
  if (wasm === undefined || need > MAX_MEMORY || lengths.maxLength > LAYOUT.MAX_WANTED)
    return undefined
  if (hints !== undefined && hints.hints.length !== LAYOUT.HINT_BYTES) return undefined
  const { mem, pass } = wasm
  try {
    if (mem.buffer.byteLength < need) mem.grow(Math.ceil((need - mem.buffer.byteLength) / PAGE))
  } catch {
    return undefined // no memory to spare: the JavaScript loop does the work
  }
  const heap = new Uint8Array(mem.buffer)
  load(heap, targets)
  heap.set(bytes, LAYOUT.INPUT)
  heap.fill(32, LAYOUT.INPUT + n, LAYOUT.INPUT + n + PAD)
  sink = to
  try {
    const minLen = Math.min(lengths.minLength, MAX_I32)
    const end = pass(
      n,
      Math.min(m, MAX_I32),
      minLen,
      lengths.maxLength,
      hints?.base ?? 0,
      hints === undefined ? 0 : 1,
    )
    deliver(wasm, end)
    return new Int32Array(mem.buffer, LAYOUT.STATUS, 1)[0] !== 0
  } finally {
    sink = undefined
  }
}
