// The HTML report of a sweep: for each headline metric, a heatmap over the first two axes
// (mean over seeds and any other axes) and metric-vs-parameter lines for each axis with 95%
// confidence bands over seeds (one line per value of the second axis when it has few values);
// then the design, the table of variants and the provenance. Axes with many distinct values
// (random or Latin-hypercube designs) are binned for the heatmap.

import { metric, type RunMetrics } from '../metrics.js'
import { escapeHtml, htmlPage, htmlTable } from './html.js'
import type { ReportProvenance } from './provenance.js'
import { formatNumber, heatmap, lineChart, PALETTE } from './svg_chart.js'
import { meanInterval } from './sweep_statistics.js'

type Param = number | string | boolean

export interface SweepReportRow { runId: string; variant: number; seed: number; params: Record<string, Param>; metrics: RunMetrics }

export interface SweepReportInput {
  name: string
  description: string
  design: string
  axes: string[]
  rows: SweepReportRow[]
  provenance: ReportProvenance
  spec: unknown
}

/** The catalog metrics charted per axis (names from analysis/metrics.ts). */
const METRICS: { key: string; label: string; get: (m: RunMetrics) => number | null }[] = [
  'amplification', 'liquidated_notional', 'bad_debt', 'insurance_fund_min', 'fraction_liquidated', 'max_drawdown',
].map((name) => {
  const spec = metric(name)
  return { key: name, label: `${name} (${spec.unit})`, get: (m: RunMetrics) => m[name] ?? null }
})
const LINES_MAX = 6
const HEATMAP_BINS = 8

/** The complete HTML document of a sweep report. */
export function sweepReportHtml(input: SweepReportInput): string {
  const title = `cascadelab sweep report: ${input.name}`
  const seeds = [...new Set(input.rows.map((r) => r.seed))]
  const sections = METRICS.map((metric) => {
    const charts: string[] = []
    if (input.axes.length >= 2) charts.push(metricHeatmap(input, metric, input.axes[0]!, input.axes[1]!))
    input.axes.slice(0, 3).forEach((axis, k) => charts.push(metricLines(input, metric, axis, input.axes[k === 0 ? 1 : 0])))
    return `<h2>${escapeHtml(metric.label)}</h2>\n${charts.join('\n')}`
  })
  const body = [
    `<h1>${escapeHtml(title)}</h1>`,
    `<p class="muted">${escapeHtml(input.description)}</p>`,
    htmlTable(['what', 'value'], [
      ['design', input.design], ['axes', input.axes.join(', ') || '(none)'], ['runs', input.rows.length],
      ['variants', new Set(input.rows.map((r) => r.variant)).size], ['seeds per variant', seeds.length],
    ]),
    ...(input.axes.length === 0 ? ['<p>This sweep has no axes (seeds only): see the table of variants below.</p>'] : sections),
    '<h2>Variants (mean over seeds)</h2>',
    variantTable(input),
    provenanceSection(input),
  ].join('\n')
  return htmlPage(title, body, input.provenance)
}

function valuesOf(rows: readonly SweepReportRow[], get: (m: RunMetrics) => number | null): number[] {
  return rows.map((r) => get(r.metrics)).filter((v): v is number => v !== null && Number.isFinite(v))
}

/** Keys along an axis: its distinct values, or equal-width bins when there are many numeric values. */
function axisKeys(rows: readonly SweepReportRow[], axis: string): { labels: string[]; keyOf: (row: SweepReportRow) => number } {
  const distinct = [...new Set(rows.map((r) => r.params[axis]))]
  const numeric = distinct.every((v) => typeof v === 'number')
  if (numeric) (distinct as number[]).sort((a, b) => a - b)
  if (!numeric || distinct.length <= 12) {
    const index = new Map(distinct.map((v, k) => [v, k]))
    return { labels: distinct.map((v) => (typeof v === 'number' ? formatNumber(v) : String(v))), keyOf: (row) => index.get(row.params[axis]) ?? 0 }
  }
  const lo = distinct[0] as number
  const hi = distinct[distinct.length - 1] as number
  const width = (hi - lo) / HEATMAP_BINS
  return {
    labels: Array.from({ length: HEATMAP_BINS }, (_, k) => `${formatNumber(lo + k * width)}–${formatNumber(lo + (k + 1) * width)}`),
    keyOf: (row) => Math.min(HEATMAP_BINS - 1, Math.floor(((row.params[axis] as number) - lo) / width)),
  }
}

function metricHeatmap(input: SweepReportInput, metric: (typeof METRICS)[number], xAxis: string, yAxis: string): string {
  const x = axisKeys(input.rows, xAxis)
  const y = axisKeys(input.rows, yAxis)
  const cells = y.labels.map((_, r) => x.labels.map((_, c) => {
    const values = valuesOf(input.rows.filter((row) => x.keyOf(row) === c && y.keyOf(row) === r), metric.get)
    return values.length === 0 ? null : meanInterval(values).mean
  }))
  return heatmap({
    name: `heatmap-${metric.key}`, title: `${metric.label} over ${xAxis} × ${yAxis}`, xLabel: xAxis, yLabel: yAxis,
    xValues: x.labels, yValues: y.labels, cells,
    caption: `Mean over seeds${input.axes.length > 2 ? ' and the other axes' : ''}.`,
  })
}

function metricLines(input: SweepReportInput, metric: (typeof METRICS)[number], axis: string, byAxis: string | undefined): string {
  const numeric = input.rows.every((r) => typeof r.params[axis] === 'number')
  const groupValues = byAxis === undefined ? [] : [...new Set(input.rows.map((r) => String(r.params[byAxis])))]
  const split = byAxis !== undefined && groupValues.length > 1 && groupValues.length <= LINES_MAX
  const groups = split ? groupValues : ['all']
  const categories = numeric ? [] : [...new Set(input.rows.map((r) => String(r.params[axis])))]
  const xOf = (row: SweepReportRow): number => (numeric ? (row.params[axis] as number) : categories.indexOf(String(row.params[axis])))
  const lines = groups.map((group, k) => {
    const rows = split ? input.rows.filter((r) => String(r.params[byAxis as string]) === group) : input.rows
    const byVariant = new Map<number, SweepReportRow[]>()
    for (const row of rows) byVariant.set(row.variant, [...(byVariant.get(row.variant) ?? []), row])
    // Variants sharing an x (other axes differ) are pooled: the band then covers them too.
    const byX = new Map<number, number[]>()
    for (const variantRows of byVariant.values()) {
      const xv = xOf(variantRows[0]!)
      byX.set(xv, [...(byX.get(xv) ?? []), ...valuesOf(variantRows, metric.get)])
    }
    const points = [...byX.entries()].filter(([, v]) => v.length > 0).sort((a, b) => a[0] - b[0])
      .map(([xv, values]) => ({ x: xv, ...meanInterval(values) }))
    const color = PALETTE[k % PALETTE.length]!
    return {
      series: { name: split ? `${byAxis} = ${group}` : 'mean over seeds', color, points: points.map((p) => [p.x, p.mean] as const) },
      band: { color, points: points.map((p) => [p.x, p.low, p.high] as const) },
    }
  })
  return lineChart({
    name: `lines-${metric.key}-${axis}`, title: `${metric.label} vs ${axis}`, xLabel: numeric ? axis : `${axis} (${categories.join(', ')})`, yLabel: metric.label,
    series: lines.map((l) => l.series), bands: lines.map((l) => l.band),
    caption: 'Lines: mean over seeds; bands: 95% confidence interval of the mean (Student t).',
  })
}

function variantTable(input: SweepReportInput): string {
  const variants = [...new Set(input.rows.map((r) => r.variant))].sort((a, b) => a - b)
  const rows = variants.map((variant) => {
    const runs = input.rows.filter((r) => r.variant === variant)
    return [
      variant, ...input.axes.map((axis) => String(runs[0]!.params[axis])), runs.length,
      ...METRICS.map((metric) => {
        const values = valuesOf(runs, metric.get)
        return values.length === 0 ? 'n/a' : formatNumber(meanInterval(values).mean)
      }),
    ]
  })
  return htmlTable(['variant', ...input.axes, 'seeds', ...METRICS.map((m) => m.label)], rows, 1 + input.axes.length)
}

function provenanceSection(input: SweepReportInput): string {
  const p = input.provenance
  return [
    '<h2>Reproduce</h2>',
    htmlTable(['what', 'value'], [
      ['command(s)', p.commands.map((c) => c.join(' ')).join(' ; ') || '(not recorded)'],
      ['report command', p.reportCommand.join(' ')],
      ['seeds', [...new Set(input.rows.map((r) => r.seed))].join(', ')],
      ['package version', p.packageVersion],
      ['plan digest', p.sweep?.planDigest ?? ''],
      ['journal digests', `${p.runs.length} runs; sha-256 of each journal and final state digest are embedded in this file`],
    ]),
    '<p>Re-run every run (or <code>--limit N</code> of them) and compare digests: <code>cascadelab reproduce report.html</code></p>',
    '<h3>Sweep file</h3>',
    `<pre>${escapeHtml(JSON.stringify(input.spec, null, 2))}</pre>`,
    '<h3>Base scenario</h3>',
    `<pre>${escapeHtml(JSON.stringify(p.sweep?.base ?? null, null, 2))}</pre>`,
  ].join('\n')
}
