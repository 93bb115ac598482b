// A deterministic tree of source-like files for the scanner benchmark: TypeScript, Python, YAML,
// JSON, Markdown, minified JS and .env examples, with look-alikes (hashes, UUIDs, base64) and a
// known set of planted secrets, so the benchmark also checks what the scan finds.
import { mkdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'

/** Deterministic PRNG (mulberry32) so every run writes the same tree. */
export function prng(seed: number): () => number {
  let a = seed
  return () => {
    a = (a + 0x6d2b79f5) | 0
    let t = Math.imul(a ^ (a >>> 15), 1 | a)
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

type Rand = () => number
const pick = <T>(rand: Rand, xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)] as T
const SYLLABLES =
  'ba be bi bo ca ce co da de di do fa fe ga ge go ha he ka ke ko la le li lo ma me mi mo na ne no pa pe po ra re ri ro sa se so ta te ti to va ve vo za ze'.split(
    ' ',
  )

function words(rand: Rand, n: number): string[] {
  return Array.from({ length: n }, () =>
    Array.from({ length: 2 + Math.floor(rand() * 3) }, () => pick(rand, SYLLABLES)).join(''),
  )
}

function chars(rand: Rand, alphabet: string, n: number): string {
  let out = ''
  for (let i = 0; i < n; i++) out += alphabet.charAt(Math.floor(rand() * alphabet.length))
  return out
}

const HEX = '0123456789abcdef'
const B64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/'

function uuid(rand: Rand): string {
  const h = chars(rand, HEX, 32)
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-a${h.slice(17, 20)}-${h.slice(20)}`
}

function makeLines(rand: Rand, vocab: string[]) {
  const w = () => pick(rand, vocab)
  const id = () => w() + w().replace(/^./, (c) => c.toUpperCase())
  const prose = (n: number) => Array.from({ length: n }, w).join(' ')
  const ts = [
    () => `import { ${id()}, ${id()} } from './${w()}-${w()}.ts'`,
    () =>
      `  const ${id()} = await ${w()}.${id()}(${id()}, { ${w()}: ${Math.floor(rand() * 999)} })`,
    () => `  // ${prose(8)}`,
    () => `  if (${id()}.length > ${Math.floor(rand() * 64)}) return '${prose(4)}'`,
    () => `export function ${id()}(${w()}: string, ${w()}: number): Promise<void> {`,
    () => `  throw new Error(\`${prose(5)} \${${id()}}\`)`,
    () => `  const digest = '${chars(rand, HEX, 64)}'`,
    () => `  const requestId = "${uuid(rand)}"`,
    () => `  const commit = '${chars(rand, HEX, 40)}' // ${prose(3)}`,
    () => '  }',
    () => '',
  ]
  const py = [
    () => `def ${w()}_${w()}(${w()}, ${w()}=None):`,
    () => `    self.${w()} = ${w()}.${w()}_${w()}(${w()}, retries=${Math.floor(rand() * 9)})`,
    () => `    # ${prose(9)}`,
    () => `    return {"${w()}": ${w()}, "${w()}": "${prose(2)}"}`,
    () => `    blob = "${chars(rand, B64, 44 + Math.floor(rand() * 40))}"`,
  ]
  const yaml = [
    () => `${w()}_${w()}: ${prose(2)}`,
    () => `  - name: ${w()}-${w()}`,
    () => `    url: https://${w()}.example.com/${w()}/${w()}?page=${Math.floor(rand() * 50)}`,
    () => `    image: registry.example.com/${w()}:${chars(rand, HEX, 12)}`,
  ]
  const md = [() => prose(14) + '.', () => `- ${prose(7)}`, () => `## ${prose(3)}`, () => '']
  const env = [() => `${w().toUpperCase()}_${w().toUpperCase()}=${w()}-${w()}`]
  return { ts, py, yaml, md, env }
}

function minified(rand: Rand, vocab: string[], bytes: number): string {
  let out = ''
  while (out.length < bytes) {
    out += `var ${pick(rand, vocab).slice(0, 2)}=function(${pick(rand, 'abcdef'.split(''))}){return ${pick(rand, vocab)}.${pick(rand, vocab)}(${Math.floor(rand() * 99)})};`
  }
  return out + '\n'
}

export interface Plant {
  /** The text planted; found by the scan as `rule` (and `key` for own secrets). */
  text: string
  rule: string
  key?: string
}

const KINDS = [
  ['ts', 'ts'],
  ['py', 'py'],
  ['yaml', 'yml'],
  ['md', 'md'],
  ['env', 'env.example'],
] as const

/**
 * Writes about `totalBytes` of files under `root` (about 20 per directory), with `plants`
 * spread over distinct files, one each (the tree must have `97 × plants` files). Returns the number of bytes written.
 */
export function writeTree(root: string, totalBytes: number, plants: readonly Plant[]): number {
  const rand = prng(7)
  const vocab = words(rand, 3000)
  const gen = makeLines(rand, vocab)
  const plantAt = new Map(plants.map((p, i) => [i * 97 + 3, p]))
  let written = 0
  for (let n = 0; written < totalBytes; n++) {
    const dir = join(root, `pkg-${Math.floor(n / 400)}`, `mod-${Math.floor(n / 20) % 20}`)
    if (n % 20 === 0) mkdirSync(dir, { recursive: true })
    const size = 4_000 + Math.floor(rand() * 36_000)
    let text: string
    let ext: string
    if (n % 50 === 49) {
      text = minified(rand, vocab, size)
      ext = 'min.js'
    } else {
      const [kind, e] = pick(rand, KINDS)
      const lines: string[] = []
      let len = 0
      while (len < size) {
        const line = pick(rand, gen[kind])()
        lines.push(line)
        len += line.length + 1
      }
      text = lines.join('\n') + '\n'
      ext = e
    }
    const plant = plantAt.get(n)
    if (plant !== undefined) text += `const planted = "${plant.text}"\n`
    writeFileSync(join(dir, `file-${n}.${ext}`), text)
    written += Buffer.byteLength(text)
  }
  return written
}
