// Inline SVG charts for reports, written by hand so a report needs no script, font or network:
// line charts (with step lines, markers and confidence bands), stacked and grouped bar charts,
// and heatmaps. Each chart is a <figure data-chart="..."> holding one <svg>; every label passes
// through escapeHtml.

import { escapeHtml } from './html.js'

export const PALETTE = ['#3b6fb6', '#e07b39', '#4e9a5a', '#c0392b', '#8e6bbf', '#8c6d31', '#d46aa8', '#7f7f7f', '#17becf', '#bcbd22']
/** Generation g's colour (generations past the palette share the last one). */
export const generationColor = (g: number): string => PALETTE[Math.min(g, PALETTE.length - 1)] as string

const W = 1000
const H = 320
const M = { left: 74, right: 160, top: 28, bottom: 44 }

type Scale = (v: number) => number
const scale = (d0: number, d1: number, r0: number, r1: number): Scale =>
  (v) => (d1 === d0 ? (r0 + r1) / 2 : r0 + ((v - d0) / (d1 - d0)) * (r1 - r0))
const n = (x: number): string => (Math.round(x * 10) / 10).toString()

/** Compact number for axis labels: 1.2k, 3.4M, 0.05. */
export function formatNumber(x: number): string {
  const a = Math.abs(x)
  if (a >= 1e9) return `${(x / 1e9).toPrecision(3)}B`
  if (a >= 1e6) return `${(x / 1e6).toPrecision(3)}M`
  if (a >= 1e4) return `${(x / 1e3).toPrecision(3)}k`
  if (a === 0) return '0'
  return Number(x.toPrecision(4)).toString()
}

/** About `count` round tick values covering [min, max]. */
export function niceTicks(min: number, max: number, count = 5): number[] {
  if (!(max > min)) return [min]
  const raw = (max - min) / count
  const power = 10 ** Math.floor(Math.log10(raw))
  const step = ([1, 2, 2.5, 5, 10].find((s) => s * power >= raw) ?? 10) * power
  const ticks: number[] = []
  for (let v = Math.ceil(min / step) * step; v <= max + step * 1e-9; v += step) ticks.push(Number(v.toPrecision(12)))
  return ticks
}

function extent(values: readonly number[], includeZero = false): [number, number] {
  let lo = includeZero ? 0 : Infinity
  let hi = includeZero ? 0 : -Infinity
  for (const v of values) if (Number.isFinite(v)) { lo = Math.min(lo, v); hi = Math.max(hi, v) }
  if (!Number.isFinite(lo)) return [0, 1]
  if (lo === hi) return [lo - (Math.abs(lo) || 1) * 0.05, hi + (Math.abs(hi) || 1) * 0.05]
  const pad = (hi - lo) * 0.04
  return [includeZero && lo === 0 ? 0 : lo - pad, hi + pad]
}

function frame(name: string, title: string, inner: string, caption: string): string {
  return `<figure data-chart="${escapeHtml(name)}"><svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${W} ${H}" width="100%" role="img" aria-label="${escapeHtml(title)}">` +
    `<text x="${M.left}" y="16" font-weight="600">${escapeHtml(title)}</text>${inner}</svg>` +
    `${caption ? `<figcaption>${escapeHtml(caption)}</figcaption>` : ''}</figure>`
}

function axes(x: Scale, y: Scale, xTicks: readonly number[], yTicks: readonly number[], xLabel: string, yLabel: string,
  xFormat: (v: number) => string = formatNumber): string {
  const bottom = H - M.bottom
  const parts = [
    ...yTicks.map((t) => `<line class="grid" x1="${M.left}" x2="${W - M.right}" y1="${n(y(t))}" y2="${n(y(t))}"/>` +
      `<text x="${M.left - 6}" y="${n(y(t) + 4)}" text-anchor="end">${escapeHtml(formatNumber(t))}</text>`),
    ...xTicks.map((t) => `<line class="axis" x1="${n(x(t))}" x2="${n(x(t))}" y1="${bottom}" y2="${bottom + 4}"/>` +
      `<text x="${n(x(t))}" y="${bottom + 16}" text-anchor="middle">${escapeHtml(xFormat(t))}</text>`),
    `<line class="axis" x1="${M.left}" x2="${W - M.right}" y1="${bottom}" y2="${bottom}"/>`,
    `<line class="axis" x1="${M.left}" x2="${M.left}" y1="${M.top}" y2="${bottom}"/>`,
    `<text x="${(M.left + W - M.right) / 2}" y="${H - 8}" text-anchor="middle">${escapeHtml(xLabel)}</text>`,
    `<text transform="translate(14 ${(M.top + bottom) / 2}) rotate(-90)" text-anchor="middle">${escapeHtml(yLabel)}</text>`,
  ]
  return parts.join('')
}

function legend(items: readonly { name: string; color: string }[]): string {
  return items.map((item, k) => {
    const y = M.top + 6 + k * 16
    return `<rect x="${W - M.right + 12}" y="${y - 8}" width="12" height="10" fill="${item.color}"/>` +
      `<text x="${W - M.right + 30}" y="${y + 1}">${escapeHtml(item.name)}</text>`
  }).join('')
}

export interface LineSeries { name: string; color: string; points: readonly (readonly [number, number])[]; step?: boolean; dashed?: boolean }
export interface Band { color: string; points: readonly (readonly [number, number, number])[] }
export interface Marker { x: number; y: number; color: string }

export interface LineChartOptions {
  name: string; title: string; caption?: string; xLabel: string; yLabel: string
  series: readonly LineSeries[]; bands?: readonly Band[]; markers?: readonly Marker[]; markerLegend?: readonly { name: string; color: string }[]
  includeZero?: boolean
}

/** Lines over a shared x axis, with optional confidence bands and point markers. */
export function lineChart(o: LineChartOptions): string {
  const xs = o.series.flatMap((s) => s.points.map((p) => p[0]))
  const ys = [
    ...o.series.flatMap((s) => s.points.map((p) => p[1])),
    ...(o.bands ?? []).flatMap((b) => b.points.flatMap((p) => [p[1], p[2]])),
    ...(o.markers ?? []).map((m) => m.y),
  ]
  const [x0, x1] = extent(xs)
  const [y0, y1] = extent(ys, o.includeZero)
  const x = scale(x0, x1, M.left, W - M.right)
  const y = scale(y0, y1, H - M.bottom, M.top)
  const bands = (o.bands ?? []).filter((b) => b.points.length > 0).map((b) => {
    const upper = b.points.map((p) => `${n(x(p[0]))},${n(y(p[2]))}`)
    const lower = [...b.points].reverse().map((p) => `${n(x(p[0]))},${n(y(p[1]))}`)
    return `<polygon class="band" points="${[...upper, ...lower].join(' ')}" fill="${b.color}" fill-opacity="0.18" stroke="none"/>`
  })
  const lines = o.series.filter((s) => s.points.length > 0).map((s) => {
    let d = ''
    s.points.forEach((p, k) => {
      const px = n(x(p[0]))
      const py = n(y(p[1]))
      if (k === 0) d += `M${px} ${py}`
      else d += s.step ? `H${px}V${py}` : `L${px} ${py}`
    })
    return `<path class="line" d="${d}" fill="none" stroke="${s.color}" stroke-width="1.5"${s.dashed ? ' stroke-dasharray="4 3"' : ''}/>` +
      (s.points.length === 1 ? `<circle cx="${n(x(s.points[0]![0]))}" cy="${n(y(s.points[0]![1]))}" r="3" fill="${s.color}"/>` : '')
  })
  const markers = (o.markers ?? []).map((m) => `<circle class="marker" cx="${n(x(m.x))}" cy="${n(y(m.y))}" r="2.2" fill="${m.color}" fill-opacity="0.75"/>`)
  const inner = axes(x, y, niceTicks(x0, x1, 8), niceTicks(y0, y1, 5), o.xLabel, o.yLabel) + bands.join('') + lines.join('') + markers.join('') +
    legend([...o.series.map((s) => ({ name: s.name, color: s.color })), ...(o.markerLegend ?? [])])
  return frame(o.name, o.title, inner, o.caption ?? '')
}

export interface BarChartOptions {
  name: string; title: string; caption?: string; xLabel: string; yLabel: string
  /** Category labels along x. */
  categories: readonly string[]
  /** Each group's value per category; stacked on top of each other, or side by side. */
  groups: readonly { name: string; color: string; values: readonly number[] }[]
  stacked: boolean
}

/** Stacked or grouped bars over categories. */
export function barChart(o: BarChartOptions): string {
  const count = Math.max(1, o.categories.length)
  const totals = o.categories.map((_, c) => (o.stacked
    ? o.groups.reduce((sum, g) => sum + (g.values[c] ?? 0), 0)
    : Math.max(0, ...o.groups.map((g) => g.values[c] ?? 0))))
  const [, y1] = extent(totals, true)
  const y = scale(0, y1, H - M.bottom, M.top)
  const slot = (W - M.left - M.right) / count
  const width = Math.max(1, slot * 0.8)
  const rects: string[] = []
  o.categories.forEach((_, c) => {
    let base = 0
    o.groups.forEach((g, k) => {
      const v = g.values[c] ?? 0
      if (v <= 0) return
      const left = M.left + c * slot + slot * 0.1 + (o.stacked ? 0 : (k * width) / o.groups.length)
      const w = o.stacked ? width : width / o.groups.length
      const top = y(base + v)
      rects.push(`<rect class="bar" x="${n(left)}" y="${n(top)}" width="${n(w)}" height="${n(Math.max(0.5, y(base) - top))}" fill="${g.color}"/>`)
      if (o.stacked) base += v
    })
  })
  const labelEvery = Math.ceil(count / 24)
  const xLabels = o.categories.map((label, c) => (c % labelEvery === 0
    ? `<text x="${n(M.left + (c + 0.5) * slot)}" y="${H - M.bottom + 16}" text-anchor="middle">${escapeHtml(label)}</text>` : '')).join('')
  const noXTicks = scale(0, 1, 0, 0)
  const inner = axes(noXTicks, y, [], niceTicks(0, y1, 5), o.xLabel, o.yLabel) + rects.join('') + xLabels + legend(o.groups)
  return frame(o.name, o.title, inner, o.caption ?? '')
}

export interface HeatmapOptions {
  name: string; title: string; caption?: string; xLabel: string; yLabel: string
  xValues: readonly string[]; yValues: readonly string[]
  /** cells[row][column]: row = y value, column = x value; null = no run there. */
  cells: readonly (readonly (number | null)[])[]
}

/** A grid of coloured cells (light = low, dark = high) with the value printed in each cell. */
export function heatmap(o: HeatmapOptions): string {
  const values = o.cells.flat().filter((v): v is number => v !== null && Number.isFinite(v))
  const lo = Math.min(...values)
  const hi = Math.max(...values)
  const cw = (W - M.left - M.right) / Math.max(1, o.xValues.length)
  const ch = (H - M.top - M.bottom) / Math.max(1, o.yValues.length)
  const rects: string[] = []
  o.cells.forEach((row, r) => row.forEach((v, c) => {
    const left = M.left + c * cw
    const top = H - M.bottom - (r + 1) * ch
    const t = v === null || !(hi > lo) ? 0.5 : (v - lo) / (hi - lo)
    const fill = v === null ? '#f0f0f0' : `hsl(215 70% ${n(92 - t * 62)}%)`
    rects.push(`<rect class="cell" x="${n(left)}" y="${n(top)}" width="${n(cw - 1)}" height="${n(ch - 1)}" fill="${fill}"/>`)
    if (v !== null && cw > 34 && ch > 14) {
      rects.push(`<text x="${n(left + cw / 2)}" y="${n(top + ch / 2 + 4)}" text-anchor="middle" style="fill:${t > 0.55 ? '#fff' : '#1b1f24'}">${escapeHtml(formatNumber(v))}</text>`)
    }
  }))
  const labels = [
    ...o.xValues.map((label, c) => `<text x="${n(M.left + (c + 0.5) * cw)}" y="${H - M.bottom + 16}" text-anchor="middle">${escapeHtml(label)}</text>`),
    ...o.yValues.map((label, r) => `<text x="${M.left - 6}" y="${n(H - M.bottom - (r + 0.5) * ch + 4)}" text-anchor="end">${escapeHtml(label)}</text>`),
    `<text x="${(M.left + W - M.right) / 2}" y="${H - 8}" text-anchor="middle">${escapeHtml(o.xLabel)}</text>`,
    `<text transform="translate(14 ${(M.top + H - M.bottom) / 2}) rotate(-90)" text-anchor="middle">${escapeHtml(o.yLabel)}</text>`,
    `<text x="${W - M.right + 12}" y="${M.top + 8}">low ${escapeHtml(formatNumber(lo))}</text>`,
    `<text x="${W - M.right + 12}" y="${M.top + 24}">high ${escapeHtml(formatNumber(hi))}</text>`,
  ]
  return frame(o.name, o.title, rects.join('') + labels.join(''), o.caption ?? '')
}
