// The time series of one run, for summary files and reports: per time bucket the external,
// exogenous, oracle and mark prices, the insurance fund and cumulative bad debt; every
// liquidation as a marker (time, mark, generation); liquidated notional (every taker, as
// liquidation_flow.ts defines it) per bucket and per minute by generation; and the account-health histogram after setup and at the end. An rxjs operator
// over the annotated event stream, like the metrics, so it runs live or over a journal.

import { type OperatorFunction } from 'rxjs'
import { INSURANCE_FUND_ACCOUNT } from '../engine/venue_config.js'
import { foldEvents, type AnnotatedEvent } from './annotated_event.js'
import type { AccountLedger } from './account_ledger.js'
import { closingOf } from './liquidation_flow.js'

/** Upper edges of the health bins (equity / maintenance margin); the last bin is open. */
export const HEALTH_BIN_EDGES = [0, 0.5, 1, 1.25, 1.5, 2, 3, 5, 10] as const

export interface HealthHistogram {
  /** counts[k]: accounts with health < HEALTH_BIN_EDGES[k] (and ≥ the previous edge); the last: ≥ 10. */
  counts: number[]
  /** Accounts with no open position. */
  flat: number
  /** Simulated ms of the snapshot. */
  atMs: number
}

export interface SeriesRow {
  /** End of the bucket (simulated ms). */
  tMs: number
  external: number
  exogenous: number
  oracle: number
  mark: number
  insuranceFund: number
  badDebt: number
  liquidations: number
  liquidatedNotional: number
}

export interface LiquidationMarker { tMs: number; mark: number; generation: number }

export interface RunSeries {
  bucketMs: number
  rows: SeriesRow[]
  /** One per liquidation, up to MARKERS_MAX (markersDropped counts the rest). */
  markers: LiquidationMarker[]
  markersDropped: number
  /** Liquidated notional per simulated minute, by generation: perMinute[m][g]. */
  perMinute: number[][]
  healthBefore: HealthHistogram
  healthAfter: HealthHistogram
}

const MARKERS_MAX = 20_000

interface SeriesState {
  bucketMs: number
  rows: SeriesRow[]
  current: SeriesRow
  markers: LiquidationMarker[]
  markersDropped: number
  perMinute: number[][]
  healthBefore: HealthHistogram | null
  ledger: AccountLedger | null
  lastT: number
  tick: number
  /** Asset whose external and oracle prices are charted: instrument 0's base. */
  baseAsset: number
  cashUnit: number
  cashPerTickLot: number[]
}

/** The run's time series in buckets of `bucketMs` simulated ms (instrument 0's prices). */
export function runSeries(bucketMs = 1000): OperatorFunction<AnnotatedEvent, RunSeries> {
  return foldEvents<SeriesState, RunSeries>(
    () => ({
      bucketMs, rows: [], current: emptyRow(bucketMs), markers: [], markersDropped: 0, perMinute: [],
      healthBefore: null, ledger: null, lastT: 0, tick: 0, baseAsset: 1, cashUnit: 0, cashPerTickLot: [],
    }),
    stepSeries,
    (s) => {
      if (s.ledger) closeBuckets(s, s.current.tMs, s.ledger)
      while (s.perMinute.length <= Math.floor(s.lastT / 60_000)) s.perMinute.push([])
      const after = s.ledger ? healthHistogram(s.ledger, s.lastT) : { counts: [], flat: 0, atMs: 0 }
      return {
        bucketMs: s.bucketMs, rows: s.rows, markers: s.markers, markersDropped: s.markersDropped,
        perMinute: s.perMinute.map((row) => row.map((x) => x * s.cashUnit)),
        healthBefore: s.healthBefore ?? after, healthAfter: after,
      }
    },
  )
}

function stepSeries(s: SeriesState, { event: e, generation, ledger, venue }: AnnotatedEvent): void {
  if (s.ledger === null) {
    s.ledger = ledger
    s.tick = venue.instruments[0]!.tickSize
    s.baseAsset = venue.instruments[0]!.baseAsset
    s.cashUnit = venue.cashUnit
    s.cashPerTickLot = venue.instruments.map((x) => x.cashPerTickLot)
  }
  if (e.t > 0 && s.healthBefore === null) s.healthBefore = healthHistogram(ledger, e.t)
  if (e.t >= s.current.tMs) closeBuckets(s, e.t, ledger)
  s.lastT = e.t
  const row = s.current
  switch (e.kind) {
    case 'ExternalPrice':
      if (e.asset === s.baseAsset) {
        row.external = e.priceTicks * s.tick
        row.exogenous = e.exogenousTicks * s.tick
      }
      break
    case 'OraclePrice':
      if (e.asset === s.baseAsset) row.oracle = e.priceTicks * s.tick
      break
    case 'MarkPrice':
      if (e.instrument === 0) row.mark = e.priceTicks * s.tick
      break
    case 'BadDebt':
      row.badDebt += e.amount * s.cashUnit
      break
    case 'Liquidation':
      row.liquidations++
      if (s.markers.length < MARKERS_MAX) s.markers.push({ tMs: e.t, mark: row.mark, generation })
      else s.markersDropped++
      break
    default:
      break
  }
  const closing = closingOf(e, s.cashPerTickLot)
  if (closing === null) return
  row.liquidatedNotional += closing.notional * s.cashUnit
  const minute = Math.floor(e.t / 60_000)
  while (s.perMinute.length <= minute) s.perMinute.push([])
  const byGeneration = s.perMinute[minute] as number[]
  const g = Math.max(0, generation)
  while (byGeneration.length <= g) byGeneration.push(0)
  byGeneration[g] = (byGeneration[g] as number) + closing.notional
}

/** Ends every bucket up to the one containing `tMs`, carrying prices, fund and bad debt forward. */
function closeBuckets(s: SeriesState, tMs: number, ledger: AccountLedger): void {
  while (tMs >= s.current.tMs) {
    const done = s.current
    done.insuranceFund = ledger.equity(INSURANCE_FUND_ACCOUNT) * s.cashUnit
    s.rows.push(done)
    s.current = {
      ...done, tMs: done.tMs + s.bucketMs, liquidations: 0, liquidatedNotional: 0,
    }
  }
}

function emptyRow(bucketMs: number): SeriesRow {
  return { tMs: bucketMs, external: 0, exogenous: 0, oracle: 0, mark: 0, insuranceFund: 0, badDebt: 0, liquidations: 0, liquidatedNotional: 0 }
}

/** Health histogram of every account but the insurance fund. */
export function healthHistogram(ledger: AccountLedger, atMs: number): HealthHistogram {
  const counts = new Array<number>(HEALTH_BIN_EDGES.length + 1).fill(0)
  let flat = 0
  for (let a = 0; a < ledger.accounts; a++) {
    if (a === INSURANCE_FUND_ACCOUNT) continue
    const health = ledger.health(a)
    if (health === null) {
      flat++
      continue
    }
    let bin = HEALTH_BIN_EDGES.findIndex((edge) => health < edge)
    if (bin < 0) bin = HEALTH_BIN_EDGES.length
    counts[bin]!++
  }
  return { counts, flat, atMs }
}
