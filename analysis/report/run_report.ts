// The HTML report of one run: headline metrics; price, mark and oracle with liquidation markers
// coloured by generation; liquidated notional per minute by generation; insurance fund and bad
// debt; account health before and after; then the provenance (command, scenario, seed,
// version, journal digest). Everything is computed from the journal by the same operators
// that produced summary.json.

import { METRICS, type MetricUnit, type RunMetrics } from '../metrics.js'
import type { RunSummary } from '../run_summary.js'
import { HEALTH_BIN_EDGES, type RunSeries } from '../run_series.js'
import { escapeHtml, htmlPage, htmlTable } from './html.js'
import type { ReportProvenance } from './provenance.js'
import { barChart, generationColor, lineChart, PALETTE, type Marker } from './svg_chart.js'

export interface RunReportInput {
  scenarioName: string
  description: string
  seed: number
  scenario: unknown
  summary: RunSummary
  metrics: RunMetrics
  series: RunSeries
  journal: { file: string; bytes: number; sha256: string; finalStateDigest: string }
  provenance: ReportProvenance
}

const MARKERS_DRAWN_MAX = 5000
const money = (x: number): string => x.toLocaleString('en-US', { maximumFractionDigits: 0 })
const pct = (x: number): string => `${(x * 100).toFixed(2)}%`
const minutes = (ms: number): number => ms / 60_000

/** A catalog value for the metrics table, by unit. */
function formatMetric(value: number | null, unit: MetricUnit): string {
  if (value === null) return 'n/a'
  switch (unit) {
    case 'quote': return money(value)
    case 'fraction': return pct(value)
    case 'ms': return `${(value / 1000).toFixed(1)} s`
    case 'ratio': return `${value.toFixed(3)}x`
    case 'count': return value.toLocaleString('en-US')
    default: {
      const never: never = unit
      throw new Error(`run report: unknown unit ${String(never)}`)
    }
  }
}

/** The complete HTML document of a run report. */
export function runReportHtml(input: RunReportInput): string {
  const { metrics: m, series } = input
  const title = `cascadelab run report: ${input.scenarioName}, seed ${input.seed}`
  const body = [
    `<h1>${escapeHtml(title)}</h1>`,
    `<p class="muted">${escapeHtml(input.description)}</p>`,
    '<h2>Metrics</h2>',
    htmlTable(['metric', 'value', 'unit', 'definition'], METRICS.map((metric) => [metric.name, formatMetric(m[metric.name] ?? null, metric.unit), metric.unit, metric.definition])),
    '<h2>Prices and liquidations</h2>',
    priceChart(series),
    cascadeWindowChart(series),
    liquidationVolumeChart(series),
    fundChart(series),
    healthChart(series),
    '<h2>Liquidated notional by generation</h2>',
    htmlTable(['generation', 'steps', 'accounts', 'notional', 'book', 'liquidators', 'backstop', 'ADL'], input.summary.liquidations.byGeneration.map((r) => [
      r.generation, r.liquidations, r.accounts, money(r.notional), money(r.bookNotional), money(r.liquidatorNotional), money(r.backstopNotional), money(r.adlNotional),
    ])),
    provenanceSection(input),
  ].join('\n')
  return htmlPage(title, body, input.provenance)
}

function priceChart(series: RunSeries): string {
  const rows = series.rows.filter((r) => r.mark > 0)
  const markers: Marker[] = series.markers.slice(0, MARKERS_DRAWN_MAX)
    .map((mk) => ({ x: minutes(mk.tMs), y: mk.mark, color: generationColor(Math.max(0, mk.generation)) }))
  const generations = Math.max(0, ...series.markers.map((mk) => mk.generation + 1))
  const dropped = series.markersDropped + Math.max(0, series.markers.length - MARKERS_DRAWN_MAX)
  return lineChart({
    name: 'prices', title: 'External price, oracle and mark, with liquidations', xLabel: 'simulated minutes', yLabel: 'price (quote currency)',
    series: [
      { name: 'external', color: '#9aa4ae', points: rows.map((r) => [minutes(r.tMs), r.external]) },
      { name: 'oracle', color: PALETTE[1]!, points: rows.map((r) => [minutes(r.tMs), r.oracle]), step: true },
      { name: 'mark', color: PALETTE[0]!, points: rows.map((r) => [minutes(r.tMs), r.mark]), step: true },
    ],
    markers,
    markerLegend: Array.from({ length: Math.min(generations, PALETTE.length) }, (_, g) => ({ name: `liquidation gen ${g}${g === PALETTE.length - 1 ? '+' : ''}`, color: generationColor(g) })),
    caption: `Prices sampled every ${series.bucketMs} ms (last value of each interval). Dots: liquidations at the mark, coloured by cascade generation${dropped > 0 ? ` (${dropped} not drawn)` : ''}.`,
  })
}

/** The mark around the liquidations (first to last, with a margin), where the full-run chart is too coarse. */
function cascadeWindowChart(series: RunSeries): string {
  if (series.markers.length === 0) return ''
  const first = series.markers[0]!.tMs
  const last = series.markers[series.markers.length - 1]!.tMs
  const margin = Math.max(10 * series.bucketMs, (last - first) * 0.2)
  const rows = series.rows.filter((r) => r.mark > 0 && r.tMs >= first - margin && r.tMs <= last + margin)
  const markers: Marker[] = series.markers.slice(0, MARKERS_DRAWN_MAX)
    .map((mk) => ({ x: mk.tMs / 1000, y: mk.mark, color: generationColor(Math.max(0, mk.generation)) }))
  return lineChart({
    name: 'cascade-window', title: 'The cascade: prices from the first to the last liquidation', xLabel: 'simulated seconds', yLabel: 'price (quote currency)',
    series: [
      { name: 'external', color: '#9aa4ae', points: rows.map((r) => [r.tMs / 1000, r.external]) },
      { name: 'oracle', color: PALETTE[1]!, points: rows.map((r) => [r.tMs / 1000, r.oracle]), step: true },
      { name: 'mark', color: PALETTE[0]!, points: rows.map((r) => [r.tMs / 1000, r.mark]), step: true },
    ],
    markers,
  })
}

function liquidationVolumeChart(series: RunSeries): string {
  const generations = Math.max(1, ...series.perMinute.map((row) => row.length))
  return barChart({
    name: 'liquidation-volume', title: 'Liquidated notional per minute, by generation', xLabel: 'simulated minute', yLabel: 'notional (quote currency)',
    categories: series.perMinute.map((_, minute) => String(minute)), stacked: true,
    groups: Array.from({ length: generations }, (_, g) => ({ name: `gen ${g}`, color: generationColor(g), values: series.perMinute.map((row) => row[g] ?? 0) })),
    caption: 'Liquidated notional of every taker (book fills, liquidator and backstop takeovers, ADL), by the generation of the liquidation behind it.',
  })
}

function fundChart(series: RunSeries): string {
  return lineChart({
    name: 'insurance-fund', title: 'Insurance fund (equity at mark) and cumulative bad debt', xLabel: 'simulated minutes', yLabel: 'quote currency',
    series: [
      { name: 'insurance fund', color: PALETTE[2]!, points: series.rows.map((r) => [minutes(r.tMs), r.insuranceFund]) },
      { name: 'bad debt', color: PALETTE[3]!, points: series.rows.map((r) => [minutes(r.tMs), r.badDebt]) },
    ],
    includeZero: true,
  })
}

function healthChart(series: RunSeries): string {
  const labels = [...HEALTH_BIN_EDGES.map((edge, k) => (k === 0 ? '< 0' : `${HEALTH_BIN_EDGES[k - 1]}–${edge}`)), `≥ ${HEALTH_BIN_EDGES[HEALTH_BIN_EDGES.length - 1]}`, 'no position']
  const values = (h: RunSeries['healthBefore']): number[] => [...h.counts, h.flat]
  return barChart({
    name: 'account-health', title: 'Account health (equity ÷ maintenance margin), before and after', xLabel: 'health', yLabel: 'accounts',
    categories: labels, stacked: false,
    groups: [
      { name: 'after setup', color: PALETTE[0]!, values: values(series.healthBefore) },
      { name: 'at the end', color: PALETTE[3]!, values: values(series.healthAfter) },
    ],
    caption: `Accounts other than the insurance fund, after setup (t = ${series.healthBefore.atMs} ms) and at the end ` +
      `(${(series.healthAfter.atMs / 60_000).toFixed(1)} simulated min). Below 1 an account is liquidated; liquidated accounts end with no position.`,
  })
}

function provenanceSection(input: RunReportInput): string {
  const p = input.provenance
  return [
    '<h2>Reproduce</h2>',
    htmlTable(['what', 'value'], [
      ['command', p.commands.map((c) => c.join(' ')).join(' ; ') || '(not recorded)'],
      ['report command', p.reportCommand.join(' ')],
      ['seed', input.seed],
      ['package version', p.packageVersion],
      ['journal', `${input.journal.file} (${input.journal.bytes.toLocaleString('en-US')} bytes)`],
      ['journal sha-256', input.journal.sha256],
      ['final state digest', input.journal.finalStateDigest],
    ]),
    `<p>Re-run and compare digests: <code>cascadelab reproduce report.html</code></p>`,
    '<h3>Scenario</h3>',
    `<pre>${escapeHtml(JSON.stringify(input.scenario, null, 2))}</pre>`,
  ].join('\n')
}
