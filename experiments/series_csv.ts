// A run's time series as CSV (timeseries.csv beside summary.json): one row per time bucket,
// prices in quote currency per base unit, money in the quote currency, time in simulated ms.

import type { RunSeries } from '../analysis/run_series.js'

const COLUMNS = [
  't_ms', 'external_price', 'exogenous_price', 'oracle_price', 'mark_price',
  'insurance_fund', 'bad_debt', 'liquidations', 'liquidated_notional',
] as const

const fixed = (x: number, digits: number): string => String(Math.round(x * 10 ** digits) / 10 ** digits)

/** CSV text of the per-bucket rows of `series`. */
export function seriesCsv(series: RunSeries): string {
  const lines = [COLUMNS.join(',')]
  for (const r of series.rows) {
    lines.push([
      r.tMs, fixed(r.external, 8), fixed(r.exogenous, 8), fixed(r.oracle, 8), fixed(r.mark, 8),
      fixed(r.insuranceFund, 6), fixed(r.badDebt, 6), r.liquidations, fixed(r.liquidatedNotional, 6),
    ].join(','))
  }
  return `${lines.join('\n')}\n`
}
