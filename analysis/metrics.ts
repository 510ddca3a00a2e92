// Run metrics as rxjs operators over the annotated event stream (analysis/annotated_event.ts).
// The same operators run live (fed by the simulation loop) and over a replayed journal, so a
// metric in summary.json and one recomputed from the journal cannot disagree. Money is in the
// quote currency, prices in quote currency per base unit, times in simulated ms, fractions in [0, 1].
//
// ADL volume counts events of kind 'AutoDeleverage' with fields { instrument, lots, priceTicks }
// (assumed: the liquidation work will add that event); until it exists the metric is 0.

import { connect, forkJoin, map, type Observable, type OperatorFunction } from 'rxjs'
import { isInput, type VenueEvent } from '../engine/events.js'
import { INSURANCE_FUND_ACCOUNT, type VenueConfig } from '../engine/venue_config.js'
import { annotate, foldEvents, type AnnotatedEvent } from './annotated_event.js'
import { DrawdownTracker } from './drawdown.js'

/** The kind name of auto-deleveraging events (not emitted by the engine yet). */
export const AUTO_DELEVERAGE_KIND = 'AutoDeleverage'

export interface LossDistribution {
  /** Accounts (other than the insurance fund) that ended with less equity than they deposited. */
  accountsWithLoss: number
  /** Σ (deposits − final equity) over those accounts. */
  total: number
  mean: number
  p50: number
  p90: number
  p99: number
  max: number
}

export interface RunMetrics {
  /** Mark drawdown ÷ exogenous drawdown (null if the exogenous path never fell). */
  amplification: number | null
  /** Deepest peak-to-trough fall of the mark price, fraction. */
  maxDrawdown: number
  /** Simulated ms from the peak before the deepest mark trough to that trough. */
  timeToTroughMs: number
  liquidations: number
  /** Notional closed by liquidations (book fills + backstop takeovers). */
  liquidatedNotional: number
  /** Liquidated notional by cascade generation (index = generation). */
  liquidatedNotionalByGeneration: number[]
  /** Lowest equity of the insurance fund after setup (at mark). */
  insuranceFundMin: number
  badDebt: number
  /** Notional of auto-deleveraging events. */
  adlVolume: number
  /** Distinct accounts liquidated ÷ accounts other than the insurance fund. */
  fractionLiquidated: number
  lossDistribution: LossDistribution
}

const round = (value: number, digits = 6): number => {
  const scale = 10 ** digits
  return Math.round(value * scale) / scale
}

/** Cash units → quote currency for a venue. */
export function quoteOf(venue: VenueConfig): (cash: number) => number {
  return (cash) => round(cash * venue.cashUnit)
}

/** Mark drawdown, time to trough and amplification over instrument 0's mark and its base asset's exogenous path. */
export function priceMetrics(): OperatorFunction<AnnotatedEvent, Pick<RunMetrics, 'amplification' | 'maxDrawdown' | 'timeToTroughMs'>> {
  return foldEvents(
    () => ({ mark: new DrawdownTracker(), exogenous: new DrawdownTracker() }),
    (s, { event: e, venue }) => {
      if (e.kind === 'MarkPrice' && e.instrument === 0) s.mark.add(e.priceTicks, e.t)
      else if (e.kind === 'ExternalPrice' && e.asset === venue.instruments[0]!.baseAsset) s.exogenous.add(e.exogenousTicks, e.t)
    },
    (s) => ({
      amplification: s.exogenous.worst > 0 ? round(round(s.mark.worst) / round(s.exogenous.worst), 4) : null,
      maxDrawdown: round(s.mark.worst),
      timeToTroughMs: s.mark.timeToTroughMs,
    }),
  )
}

/** Liquidations, and liquidated notional in total and by generation. */
export function liquidatedNotional(): OperatorFunction<AnnotatedEvent, Pick<RunMetrics, 'liquidations' | 'liquidatedNotional' | 'liquidatedNotionalByGeneration'>> {
  return foldEvents(
    () => ({ count: 0, byGeneration: [] as number[], cashUnit: 0 }),
    (s, { event: e, generation, venue }) => {
      s.cashUnit = venue.cashUnit
      let notional = 0
      if (e.kind === 'Liquidation') s.count++
      else if (e.kind === 'Fill' && e.liquidation && e.taker !== INSURANCE_FUND_ACCOUNT) notional = e.lots * e.priceTicks * venue.instruments[e.instrument]!.cashPerTickLot
      else if (e.kind === 'BackstopTakeover') notional = e.lots * e.priceTicks * venue.instruments[e.instrument]!.cashPerTickLot
      if (notional === 0) return
      const g = Math.max(0, generation)
      while (s.byGeneration.length <= g) s.byGeneration.push(0)
      s.byGeneration[g] = (s.byGeneration[g] as number) + notional
    },
    (s) => ({
      liquidations: s.count,
      liquidatedNotional: round(s.byGeneration.reduce((a, b) => a + b, 0) * s.cashUnit),
      liquidatedNotionalByGeneration: s.byGeneration.map((x) => round(x * s.cashUnit)),
    }),
  )
}

/**
 * Lowest insurance-fund equity after setup, at input boundaries (as each input with t > 0
 * arrives, and at the end): within an input the fund can dip below zero until its deficit is
 * resolved in the same input (docs/liquidation.md), which is not a state it is left in.
 */
export function insuranceFundMin(): OperatorFunction<AnnotatedEvent, number> {
  return foldEvents(
    () => ({ min: Infinity, last: 0, cashUnit: 0 }),
    (s, { event, ledger, venue }) => {
      s.cashUnit = venue.cashUnit
      if (event.t > 0 && isInput(event) && s.last < s.min) s.min = s.last // the state the previous input left
      s.last = ledger.equity(INSURANCE_FUND_ACCOUNT)
    },
    (s) => round(Math.min(s.min, s.last) * s.cashUnit),
  )
}

/** Bad debt booked (deficits neither the account nor the insurance fund could cover). */
export function badDebt(): OperatorFunction<AnnotatedEvent, number> {
  return foldEvents(
    () => ({ total: 0, cashUnit: 0 }),
    (s, { event, venue }) => {
      s.cashUnit = venue.cashUnit
      if (event.kind === 'BadDebt') s.total += event.amount
    },
    (s) => round(s.total * s.cashUnit),
  )
}

/** Notional of auto-deleveraging events (kind AUTO_DELEVERAGE_KIND). */
export function adlVolume(): OperatorFunction<AnnotatedEvent, number> {
  return foldEvents(
    () => ({ total: 0, cashUnit: 0 }),
    (s, { event, venue }) => {
      s.cashUnit = venue.cashUnit
      if ((event.kind as string) !== AUTO_DELEVERAGE_KIND) return
      const adl = event as unknown as { instrument: number; lots: number; priceTicks: number }
      const instrument = venue.instruments[adl.instrument]
      if (instrument) s.total += Math.abs(adl.lots) * adl.priceTicks * instrument.cashPerTickLot
    },
    (s) => round(s.total * s.cashUnit),
  )
}

/** Distinct liquidated accounts ÷ accounts other than the insurance fund. */
export function fractionLiquidated(): OperatorFunction<AnnotatedEvent, number> {
  return foldEvents(
    () => ({ liquidated: new Set<number>(), accounts: 0 }),
    (s, { event, ledger }) => {
      if (event.kind === 'Liquidation') s.liquidated.add(event.account)
      s.accounts = ledger.accounts
    },
    (s) => (s.accounts > 1 ? round(s.liquidated.size / (s.accounts - 1)) : 0),
  )
}

/** Per-account loss (deposits − final equity at mark) over accounts other than the fund. */
export function lossDistribution(): OperatorFunction<AnnotatedEvent, LossDistribution> {
  return foldEvents(
    () => ({ ledger: null as AnnotatedEvent['ledger'] | null, cashUnit: 0 }),
    (s, { ledger, venue }) => {
      s.ledger = ledger
      s.cashUnit = venue.cashUnit
    },
    (s) => {
      const losses: number[] = []
      const ledger = s.ledger
      if (ledger) {
        for (let a = 0; a < ledger.accounts; a++) {
          if (a === INSURANCE_FUND_ACCOUNT) continue
          const loss = ledger.depositedBy(a) - ledger.equity(a)
          if (loss > 0) losses.push(loss * s.cashUnit)
        }
      }
      return summariseLosses(losses)
    },
  )
}

/** Count, total, mean, nearest-rank quantiles and max of positive losses. */
export function summariseLosses(losses: number[]): LossDistribution {
  const sorted = [...losses].sort((a, b) => a - b)
  const n = sorted.length
  const rank = (q: number): number => (n === 0 ? 0 : round(sorted[Math.min(n - 1, Math.max(0, Math.ceil(q * n) - 1))] as number))
  const total = sorted.reduce((a, b) => a + b, 0)
  return {
    accountsWithLoss: n, total: round(total), mean: n === 0 ? 0 : round(total / n),
    p50: rank(0.5), p90: rank(0.9), p99: rank(0.99), max: n === 0 ? 0 : round(sorted[n - 1] as number),
  }
}

/** Every run metric from an annotated stream (subscribes all metrics before the source flows). */
export function metricsOf(): OperatorFunction<AnnotatedEvent, RunMetrics> {
  return (source) => source.pipe(connect((shared: Observable<AnnotatedEvent>) => forkJoin({
    price: shared.pipe(priceMetrics()),
    liquidated: shared.pipe(liquidatedNotional()),
    insuranceFundMin: shared.pipe(insuranceFundMin()),
    badDebt: shared.pipe(badDebt()),
    adlVolume: shared.pipe(adlVolume()),
    fractionLiquidated: shared.pipe(fractionLiquidated()),
    lossDistribution: shared.pipe(lossDistribution()),
  })), map((m) => ({
    ...m.price, ...m.liquidated, insuranceFundMin: m.insuranceFundMin, badDebt: m.badDebt,
    adlVolume: m.adlVolume, fractionLiquidated: m.fractionLiquidated, lossDistribution: m.lossDistribution,
  })))
}

/** Every run metric from raw venue events. */
export function runMetrics(venue: VenueConfig): OperatorFunction<VenueEvent, RunMetrics> {
  return (source) => source.pipe(annotate(venue), metricsOf())
}
