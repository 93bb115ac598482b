// `npm run bench`: every benchmark of the project in one process, each printing ratios against a
// baseline measured in the same run (machines here are noisy; absolute times mean little).
// `npm run bench -- dotenv store` runs only the named ones.

interface BenchResult {
  name: string
  ratio: number
  target: number
  ok: boolean
}

type Runner = () => Promise<BenchResult | BenchResult[]> | BenchResult | BenchResult[]

const BENCHES: Record<string, () => Promise<{ run?: Runner }>> = {
  dotenv: () => import('./dotenv.bench.ts'),
  crypto: () => import('./crypto.bench.ts'),
  store: () => import('./store.bench.ts'),
  documents: () => import('./documents.bench.ts'),
  http: () => import('./http.bench.ts'),
  cli: () => import('./cli.bench.ts'),
  run: () => import('./run.bench.ts'),
  scale: () => import('./scale.bench.ts'),
  scan: () => import('./scan.bench.ts'),
}

const wanted = process.argv.slice(2)
const rows: BenchResult[] = []
for (const [name, load] of Object.entries(BENCHES)) {
  if (wanted.length > 0 && !wanted.includes(name)) continue
  let mod: { run?: Runner }
  try {
    mod = await load()
  } catch {
    console.log(`${name}: not present yet`)
    continue
  }
  if (mod.run === undefined) continue
  console.log(`\n== ${name}`)
  const out = await mod.run()
  rows.push(...(Array.isArray(out) ? out : [out]))
}

console.log('\nbenchmark                                                      ratio   target  ok')
for (const r of rows) {
  console.log(
    `${r.name.padEnd(60)} ${r.ratio.toFixed(2).padStart(7)} ${String(r.target).padStart(8)}  ${r.ok ? 'yes' : 'NO'}`,
  )
}
