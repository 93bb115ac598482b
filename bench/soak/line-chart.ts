// A small SVG line chart (log-scale x axis, linear y from 0) for the benchmark results in
// bench/results/: a few series of points, ticks, axis titles and a legend. No chart library:
// the output is plain, diffable SVG text.

export interface ChartSeries {
  name: string
  color: string
  points: { x: number; y: number; label?: string }[]
}

export interface ChartSpec {
  title: string
  xLabel: string
  yLabel: string
  /** A smaller line under the title (conditions of the measurement). */
  note?: string
  series: ChartSeries[]
}

const W = 780
const H = 420
const M = { left: 70, right: 250, top: 60, bottom: 60 }

const esc = (s: string) =>
  s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;')
const fmt = (n: number) => n.toLocaleString('en-US')

/** A "nice" step (1, 2 or 5 × 10^k) giving about `count` ticks up to `max`. */
function niceStep(max: number, count: number): number {
  const raw = max / count
  const mag = 10 ** Math.floor(Math.log10(raw))
  return ([1, 2, 5, 10].map((m) => m * mag).find((s) => s >= raw) ?? raw) || 1
}

function axes(spec: ChartSpec, xs: number[], yMax: number, step: number) {
  const [x0, x1] = [M.left, W - M.right]
  const [y0, y1] = [H - M.bottom, M.top]
  // A little room on both sides, so the end points and their labels clear the axis.
  const pad = (Math.log10(Math.max(...xs)) - Math.log10(Math.min(...xs))) * 0.05
  const lo = Math.log10(Math.min(...xs)) - pad
  const hi = Math.log10(Math.max(...xs)) + pad
  const px = (x: number) => x0 + ((Math.log10(x) - lo) / (hi - lo || 1)) * (x1 - x0)
  const py = (y: number) => y0 - (y / yMax) * (y0 - y1)
  const parts = [
    `<line x1="${x0}" y1="${y0}" x2="${x1}" y2="${y0}" stroke="#333"/>`,
    `<line x1="${x0}" y1="${y0}" x2="${x0}" y2="${y1}" stroke="#333"/>`,
  ]
  for (const x of [...new Set(xs)]) {
    parts.push(`<line x1="${px(x)}" y1="${y0}" x2="${px(x)}" y2="${y0 + 5}" stroke="#333"/>`)
    parts.push(`<text x="${px(x)}" y="${y0 + 20}" text-anchor="middle">${fmt(x)}</text>`)
  }
  for (let y = 0; y <= yMax + 1e-9; y += step) {
    const v = Number(y.toPrecision(6))
    parts.push(`<line x1="${x0}" y1="${py(v)}" x2="${x1}" y2="${py(v)}" stroke="#eee"/>`)
    parts.push(`<text x="${x0 - 8}" y="${py(v) + 4}" text-anchor="end">${v}</text>`)
  }
  parts.push(
    `<text x="${(x0 + x1) / 2}" y="${H - 15}" text-anchor="middle">${esc(spec.xLabel)}</text>`,
    `<text transform="translate(18 ${(y0 + y1) / 2}) rotate(-90)" text-anchor="middle">${esc(spec.yLabel)}</text>`,
    `<text x="${W / 2}" y="26" text-anchor="middle" font-size="15" font-weight="bold">${esc(spec.title)}</text>`,
  )
  if (spec.note !== undefined) {
    parts.push(
      `<text x="${W / 2}" y="44" text-anchor="middle" font-size="11" fill="#555">${esc(spec.note)}</text>`,
    )
  }
  return { parts, px, py }
}

/** The chart as a standalone SVG document. */
export function lineChartSvg(spec: ChartSpec): string {
  const xs = spec.series.flatMap((s) => s.points.map((p) => p.x))
  const ys = spec.series.flatMap((s) => s.points.map((p) => p.y))
  const step = niceStep(Math.max(...ys, 1e-9) * 1.15, 5)
  const yMax = Math.ceil((Math.max(...ys, 1e-9) * 1.15) / step) * step
  const { parts, px, py } = axes(spec, xs, yMax, step)
  for (const [i, s] of spec.series.entries()) {
    const path = s.points.map((p) => `${px(p.x).toFixed(1)},${py(p.y).toFixed(1)}`).join(' ')
    parts.push(`<polyline points="${path}" fill="none" stroke="${s.color}" stroke-width="2"/>`)
    for (const p of s.points) {
      parts.push(`<circle cx="${px(p.x)}" cy="${py(p.y)}" r="4" fill="${s.color}"/>`)
      if (p.label !== undefined) {
        parts.push(
          `<text x="${px(p.x)}" y="${py(p.y) - 9}" text-anchor="middle" fill="${s.color}">${esc(p.label)}</text>`,
        )
      }
    }
    const ly = M.top + 20 + i * 22
    parts.push(
      `<line x1="${W - M.right + 20}" y1="${ly}" x2="${W - M.right + 45}" y2="${ly}" stroke="${s.color}" stroke-width="3"/>`,
      `<text x="${W - M.right + 52}" y="${ly + 4}">${esc(s.name)}</text>`,
    )
  }
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" viewBox="0 0 ${W} ${H}" font-family="sans-serif" font-size="12">`,
    `<rect width="${W}" height="${H}" fill="#fff"/>`,
    ...parts,
    '</svg>',
    '',
  ].join('\n')
}
