// The metrics catalog, in the spirit of Mesa's DataCollector: each metric is declared once —
// column name, unit, type, exact definition — as a reader of the one run aggregate
// (run_summary.ts, an rxjs fold over the annotated event stream, the same code live and over a
// replayed journal). summary.json's `metrics`, the sweep results table (CSV and Parquet), the run
// and sweep reports and docs/METRICS.md all take their columns from this list, so a metric added
// here appears everywhere, and a test checks that docs/METRICS.md documents every one.
//
// Units: "quote" is money in the quote currency; "fraction" in [0, 1]; "ms" simulated milliseconds;
// "ratio" a dimensionless quotient; "count" a whole number.

import type { RunSummary } from './run_summary.js'

export type MetricUnit = 'quote' | 'fraction' | 'ms' | 'ratio' | 'count'

export interface MetricSpec {
  /** Column name (snake_case), in summary.json's `metrics` and the results table. */
  name: string
  unit: MetricUnit
  /** One-sentence definition (docs/METRICS.md gives the long form). */
  definition: string
  /** Its value for a run (null: undefined for this run, e.g. no liquidation). */
  value: (s: RunSummary) => number | null
}

/** Every run metric, in column order. */
export const METRICS: readonly MetricSpec[] = [
  { name: 'amplification', unit: 'ratio', definition: 'mark drawdown ÷ exogenous drawdown (null if the exogenous path never fell)', value: (s) => s.price.amplification },
  { name: 'max_drawdown', unit: 'fraction', definition: 'deepest peak-to-trough fall of instrument 0\'s mark price', value: (s) => s.price.markDrawdown },
  { name: 'exogenous_drawdown', unit: 'fraction', definition: 'deepest peak-to-trough fall of the exogenous price path (no venue impact)', value: (s) => s.price.exogenousDrawdown },
  { name: 'time_to_trough_ms', unit: 'ms', definition: 'time from the peak before the deepest mark trough to that trough', value: (s) => s.price.timeToTroughMs },
  { name: 'liquidations', unit: 'count', definition: 'liquidation steps (Liquidation events)', value: (s) => s.liquidations.count },
  { name: 'liquidated_accounts', unit: 'count', definition: 'distinct accounts (compartments one by one) with a liquidation step', value: (s) => s.liquidations.accounts },
  { name: 'liquidated_traders', unit: 'count', definition: 'distinct traders (owners) with a liquidated account', value: (s) => s.liquidations.owners },
  { name: 'liquidated_notional', unit: 'quote', definition: 'notional closed by liquidations, all takers: book + liquidators + backstop + ADL', value: (s) => s.liquidations.notional },
  { name: 'liquidated_notional_book', unit: 'quote', definition: 'notional of liquidation fills in the book', value: (s) => s.liquidations.bookNotional },
  { name: 'liquidated_notional_liquidators', unit: 'quote', definition: 'notional taken over by liquidator agents in auctions, at the mark', value: (s) => s.liquidations.liquidatorNotional },
  { name: 'liquidated_notional_backstop', unit: 'quote', definition: 'notional taken over by the backstop (insurance fund)', value: (s) => s.liquidations.backstopNotional },
  { name: 'liquidated_notional_adl', unit: 'quote', definition: 'notional auto-deleveraged against opposing accounts, at the bankruptcy price', value: (s) => s.liquidations.adlNotional },
  { name: 'share_book', unit: 'fraction', definition: 'liquidated_notional_book ÷ liquidated_notional (null without liquidations)', value: (s) => s.liquidations.shareByTaker?.book ?? null },
  { name: 'share_liquidators', unit: 'fraction', definition: 'liquidated_notional_liquidators ÷ liquidated_notional', value: (s) => s.liquidations.shareByTaker?.liquidators ?? null },
  { name: 'share_backstop', unit: 'fraction', definition: 'liquidated_notional_backstop ÷ liquidated_notional', value: (s) => s.liquidations.shareByTaker?.backstop ?? null },
  { name: 'share_adl', unit: 'fraction', definition: 'liquidated_notional_adl ÷ liquidated_notional', value: (s) => s.liquidations.shareByTaker?.adl ?? null },
  { name: 'generations', unit: 'count', definition: 'depth of the cascade tree (0 without liquidations)', value: (s) => s.liquidations.generations },
  { name: 'cascade_roots', unit: 'count', definition: 'liquidation steps with no liquidation in their cause chain (generation 0)', value: (s) => s.liquidations.roots },
  { name: 'first_liquidation_ms', unit: 'ms', definition: 'simulated time of the first liquidation step (null: none)', value: (s) => s.liquidations.firstMs },
  { name: 'adl_onset_after_first_liquidation_ms', unit: 'ms', definition: 'time of the first ADL reduction minus time of the first liquidation step (null: no ADL)', value: (s) => s.autoDeleverage.onsetAfterFirstLiquidationMs },
  { name: 'peak_liquidated_notional_per_minute', unit: 'quote', definition: 'largest liquidated notional (all takers) within one simulated minute [60 s·m, 60 s·(m+1))', value: (s) => s.liquidations.peakNotionalPerMinute },
  { name: 'adl_reductions', unit: 'count', definition: 'AutoDeleverage events', value: (s) => s.autoDeleverage.events },
  { name: 'adl_accounts', unit: 'count', definition: 'distinct accounts reduced by ADL', value: (s) => s.autoDeleverage.accounts },
  { name: 'insurance_fund_start', unit: 'quote', definition: 'cash deposited into the insurance fund account', value: (s) => s.insuranceFund.start },
  { name: 'insurance_fund_min', unit: 'quote', definition: 'lowest fund equity at mark as each input after setup arrives and at the end, never above insurance_fund_start', value: (s) => s.insuranceFund.min },
  { name: 'insurance_fund_end', unit: 'quote', definition: 'fund equity at mark after the last event', value: (s) => s.insuranceFund.end },
  { name: 'bad_debt', unit: 'quote', definition: 'Σ BadDebt amounts: deficits nobody covered', value: (s) => s.badDebt },
  { name: 'socialized_loss', unit: 'quote', definition: 'Σ SocializedLoss amounts: deficits charged to opposing holders', value: (s) => s.socializedLoss },
  { name: 'negative_equity_accounts', unit: 'count', definition: 'accounts (not the fund) with equity < 0 at the start of a liquidation step or at the end', value: (s) => s.negativeEquity.accounts },
  { name: 'negative_equity_deficit', unit: 'quote', definition: 'Σ over those accounts of the largest −equity seen at those moments', value: (s) => s.negativeEquity.deficit },
  { name: 'underwater_accounts', unit: 'count', definition: 'accounts (not the fund) the liquidation engine reached below zero equity (Underwater events)', value: (s) => s.gapRisk.underwaterAccounts },
  { name: 'deficit_at_detection', unit: 'quote', definition: 'Σ −equity of Underwater events (not the fund)', value: (s) => s.gapRisk.deficitAtDetection },
  { name: 'traders', unit: 'count', definition: 'owners (a cross account with its compartments), the fund left out', value: (s) => s.traders.count },
  { name: 'fraction_liquidated', unit: 'fraction', definition: 'liquidated traders ÷ traders', value: (s) => s.traders.fractionLiquidated },
  { name: 'accounts', unit: 'count', definition: 'accounts including compartments, the fund left out', value: (s) => s.accounts.count },
  { name: 'fraction_accounts_liquidated', unit: 'fraction', definition: 'liquidated accounts ÷ accounts (compartment breakdown of fraction_liquidated)', value: (s) => s.accounts.fractionLiquidated },
  { name: 'traders_with_loss', unit: 'count', definition: 'traders whose loss (cash deposited − equity at the end, over all their accounts) is > 0', value: (s) => s.traders.loss.withLoss },
  { name: 'loss_total', unit: 'quote', definition: 'Σ of those traders\' losses', value: (s) => s.traders.loss.total },
  { name: 'loss_mean', unit: 'quote', definition: 'loss_total ÷ traders_with_loss (0 if none)', value: (s) => s.traders.loss.mean },
  { name: 'loss_p50', unit: 'quote', definition: 'nearest-rank median of traders\' positive losses', value: (s) => s.traders.loss.p50 },
  { name: 'loss_p90', unit: 'quote', definition: 'nearest-rank 90th percentile of traders\' positive losses', value: (s) => s.traders.loss.p90 },
  { name: 'loss_p99', unit: 'quote', definition: 'nearest-rank 99th percentile of traders\' positive losses', value: (s) => s.traders.loss.p99 },
  { name: 'loss_max', unit: 'quote', definition: 'largest trader loss', value: (s) => s.traders.loss.max },
  { name: 'fees', unit: 'quote', definition: 'Σ taker and maker fees of all fills', value: (s) => s.fees },
  { name: 'liquidator_rewards', unit: 'quote', definition: 'Σ LiquidatorReward amounts (the liquidators\' share of penalties)', value: (s) => s.liquidatorRewards },
]

/** Metric name → value, in catalog order. */
export type RunMetrics = Record<string, number | null>

/** The catalog's values for one run summary. */
export function metricsOf(summary: RunSummary): RunMetrics {
  const metrics: RunMetrics = {}
  for (const metric of METRICS) metrics[metric.name] = metric.value(summary)
  return metrics
}

/** The catalog entry named `name` (throws on an unknown name: a typo in a report's list). */
export function metric(name: string): MetricSpec {
  const found = METRICS.find((m) => m.name === name)
  if (found === undefined) throw new Error(`metrics: no metric named ${name}`)
  return found
}

/** Column name of generation `g`'s liquidated notional in results tables. */
export const generationColumn = (g: number): string => `liquidated_notional_gen_${g}`
