// Liquidation parameters: the venue-wide rules (when a step is partial or full, how often steps
// may repeat, who takes what the book cannot, how losses beyond the insurance fund are shared)
// and, per instrument, a liquidation curve giving the size-dependent parameters:
//
//   penaltyRate    penalty on closed notional (split between a liquidator and the fund)
//   bandRate       book orders fill no further than this fraction from mark (then hand over)
//   targetHealth   a partial step closes just enough to bring health back to this
//   stepShareMax   at most this share of the position per step
//   stepNotionalMax at most this notional (cash units) per step
//
// A curve is a table (notional brackets, like margin tiers: the first row whose `notional` is ≥
// the position's notional applies, the last also above its cap) or a curve (points joined by
// straight lines in notional, flat beyond the ends). Curves are compiled into flat arrays so a
// lookup allocates nothing. Everything is in the engine's units (cash units, simulated ms) and
// lives in VenueConfig, so a journal header holds all replay needs.

import { fail } from '../assert.js'
import type { InstrumentConfig } from '../venue_config.js'

/** Which position a partial step closes first in a cross pool. */
export type CrossOrder = 'largest' | 'riskiest'
/** What happens to losses the insurance fund cannot take: auto-deleveraging or socialised loss. */
export type DeficitMode = 'adl' | 'socialized'
/** The fund's own shortfall in 'adl' mode: deleverage its positions, or write the shortfall off and keep unwinding them. */
export type FundShortfall = 'deleverage' | 'write_off'
export type CurveShape = 'table' | 'curve'

/** Upper edge of the last table bracket, and "no cap" for stepNotionalMax (cash units). */
export const UNBOUNDED = Number.MAX_SAFE_INTEGER

/** One row (table) or point (curve) of an instrument's liquidation curve. */
export interface LiquidationPoint {
  /** Table: upper edge of the bracket (cash units, inclusive). Curve: the point's notional (cash units). */
  notional: number
  penaltyRate: number
  bandRate: number
  targetHealth: number
  stepShareMax: number
  /** Cash units; UNBOUNDED = no cap. */
  stepNotionalMax: number
}

export interface LiquidationCurve {
  shape: CurveShape
  /** Ascending in notional; at least one. */
  points: LiquidationPoint[]
}

export interface LiquidationConfig {
  /** Below this health (equity / maintenance margin) a step closes everything; partial steps above it. */
  fullBelowHealth: number
  /** Minimum simulated ms between two partial steps of one account (full steps never wait). */
  stepIntervalMs: number
  crossOrder: CrossOrder
  /** Share of a penalty paid to the liquidator that took the position (the rest goes to the fund). */
  liquidatorPenaltyShare: number
  /** How long (ms) a remainder the book did not take is offered to liquidators; 0 = no auctions. */
  auctionMs: number
  /** The insurance fund keeps this much (cash units): it pays deficits and takes positions only above it. */
  fundReserve: number
  deficitMode: DeficitMode
  /** Simulated ms between the insurance fund's unwind orders while it holds positions; 0 = it keeps what it takes. */
  fundUnwindIntervalMs: number
  /** Largest notional (cash units) of one unwind order, per instrument. */
  fundUnwindNotionalMax: number
  /** Unwind orders fill no further than this fraction from mark. */
  fundUnwindBandRate: number
  /** 'adl' mode, fund equity below zero: deleverage the fund's positions (no market flow), or write the shortfall off as its bad debt and keep them to unwind. */
  fundShortfall: FundShortfall
  /** Risk limit: the backstop takes no lots that would make the fund's position in an instrument exceed this notional (cash units; UNBOUNDED = none). */
  fundPositionNotionalMax: number
  /** Simulated ms between finding an account liquidatable and its first step (0 = at once): liquidation latency, a source of gap risk. */
  liquidationDelayMs: number
  /** One curve per instrument, in instrument order. */
  curves: LiquidationCurve[]
}

/** Defaults of the venue-wide rules (the scenario's liquidation section documents each). */
export const LIQUIDATION_DEFAULTS = {
  /** Hyperliquid hands an account to its backstop below 2/3 of maintenance margin. */
  fullBelowHealth: 2 / 3,
  targetHealth: 1.25,
  stepIntervalMs: 1000,
  stepShareMax: 1,
  crossOrder: 'largest' as CrossOrder,
  liquidatorPenaltyShare: 0.5,
  auctionMs: 0,
  fundReserve: 0,
  deficitMode: 'adl' as DeficitMode,
  /** Engine default (hand-built venues in tests): the fund keeps what it takes. Scenarios default to unwinding (experiments/scenario.ts). */
  fundUnwindIntervalMs: 0,
  fundUnwindNotionalMax: UNBOUNDED,
  fundUnwindBandRate: 0.01,
  fundPositionNotionalMax: UNBOUNDED,
  /** The backstop's owners bear its losses beyond its capital (Hyperliquid's HLP vault depositors do), and it keeps unwinding. */
  fundShortfall: 'write_off' as FundShortfall,
  liquidationDelayMs: 0,
} as const

/** One flat curve row from an instrument's band and penalty, with the default target and caps. */
export function defaultCurve(instrument: Pick<InstrumentConfig, 'liquidationBandRate' | 'liquidationPenaltyRate'>): LiquidationCurve {
  return {
    shape: 'table',
    points: [{
      notional: UNBOUNDED, penaltyRate: instrument.liquidationPenaltyRate, bandRate: instrument.liquidationBandRate,
      targetHealth: LIQUIDATION_DEFAULTS.targetHealth, stepShareMax: LIQUIDATION_DEFAULTS.stepShareMax, stepNotionalMax: UNBOUNDED,
    }],
  }
}

/** The default rules with one flat curve per instrument (its band and penalty). */
export function defaultLiquidationConfig(instruments: readonly InstrumentConfig[]): LiquidationConfig {
  const { targetHealth: _t, stepShareMax: _s, ...rules } = LIQUIDATION_DEFAULTS
  return { ...rules, curves: instruments.map(defaultCurve) }
}

/** Checks a liquidation configuration (programming errors: user input is checked by the scenario). */
export function checkLiquidationConfig(config: LiquidationConfig, instruments: number): void {
  if (!(config.fullBelowHealth >= 0 && config.fullBelowHealth <= 1)) fail(`liquidation: fullBelowHealth ${config.fullBelowHealth} outside [0, 1]`)
  if (!(Number.isInteger(config.stepIntervalMs) && config.stepIntervalMs >= 0)) fail(`liquidation: stepIntervalMs ${config.stepIntervalMs}`)
  if (!(Number.isInteger(config.auctionMs) && config.auctionMs >= 0)) fail(`liquidation: auctionMs ${config.auctionMs}`)
  if (!(config.liquidatorPenaltyShare >= 0 && config.liquidatorPenaltyShare <= 1)) fail('liquidation: liquidatorPenaltyShare outside [0, 1]')
  if (!(config.fundReserve >= 0)) fail(`liquidation: fundReserve ${config.fundReserve}`)
  if (config.crossOrder !== 'largest' && config.crossOrder !== 'riskiest') fail(`liquidation: crossOrder ${String(config.crossOrder)}`)
  if (config.deficitMode !== 'adl' && config.deficitMode !== 'socialized') fail(`liquidation: deficitMode ${String(config.deficitMode)}`)
  if (!(Number.isInteger(config.fundUnwindIntervalMs) && config.fundUnwindIntervalMs >= 0)) fail(`liquidation: fundUnwindIntervalMs ${config.fundUnwindIntervalMs}`)
  if (!(config.fundUnwindNotionalMax > 0)) fail(`liquidation: fundUnwindNotionalMax ${config.fundUnwindNotionalMax}`)
  if (!(config.fundUnwindBandRate > 0 && config.fundUnwindBandRate < 1)) fail(`liquidation: fundUnwindBandRate ${config.fundUnwindBandRate}`)
  if (!(config.fundPositionNotionalMax > 0)) fail(`liquidation: fundPositionNotionalMax ${config.fundPositionNotionalMax}`)
  if (config.fundShortfall !== 'deleverage' && config.fundShortfall !== 'write_off') fail(`liquidation: fundShortfall ${String(config.fundShortfall)}`)
  if (!(Number.isInteger(config.liquidationDelayMs) && config.liquidationDelayMs >= 0)) fail(`liquidation: liquidationDelayMs ${config.liquidationDelayMs}`)
  if (!(config.curves.length === instruments)) fail(`liquidation: ${config.curves.length} curves for ${instruments} instruments`)
  config.curves.forEach((curve, i) => {
    if (!(curve.points.length >= 1)) fail(`liquidation: curve ${i} has no points`)
    let previous = -1
    for (const p of curve.points) {
      if (!(p.notional > previous)) fail(`liquidation: curve ${i} notionals must increase`)
      if (!(p.penaltyRate >= 0 && p.penaltyRate < 1)) fail(`liquidation: curve ${i} penaltyRate ${p.penaltyRate}`)
      if (!(p.bandRate > 0 && p.bandRate < 1)) fail(`liquidation: curve ${i} bandRate ${p.bandRate}`)
      if (!(p.targetHealth >= 1)) fail(`liquidation: curve ${i} targetHealth ${p.targetHealth} < 1`)
      if (!(p.stepShareMax > 0 && p.stepShareMax <= 1)) fail(`liquidation: curve ${i} stepShareMax ${p.stepShareMax}`)
      if (!(p.stepNotionalMax > 0)) fail(`liquidation: curve ${i} stepNotionalMax ${p.stepNotionalMax}`)
      previous = p.notional
    }
  })
}

const TABLE = 0
const CURVE = 1

/** Every instrument's curve in flat arrays; each lookup takes the position's notional (cash units). */
export class LiquidationCurves {
  private readonly offset: Int32Array
  private readonly count: Int32Array
  private readonly shape: Uint8Array
  private readonly notional: Float64Array
  private readonly penalty: Float64Array
  private readonly band: Float64Array
  private readonly target: Float64Array
  private readonly shareMax: Float64Array
  private readonly notionalMax: Float64Array

  constructor(curves: readonly LiquidationCurve[]) {
    const rows = curves.reduce((n, c) => n + c.points.length, 0)
    this.offset = new Int32Array(curves.length)
    this.count = new Int32Array(curves.length)
    this.shape = new Uint8Array(curves.length)
    this.notional = new Float64Array(rows)
    this.penalty = new Float64Array(rows)
    this.band = new Float64Array(rows)
    this.target = new Float64Array(rows)
    this.shareMax = new Float64Array(rows)
    this.notionalMax = new Float64Array(rows)
    let row = 0
    curves.forEach((curve, i) => {
      this.offset[i] = row
      this.count[i] = curve.points.length
      this.shape[i] = curve.shape === 'curve' ? CURVE : TABLE
      for (const p of curve.points) {
        this.notional[row] = p.notional
        this.penalty[row] = p.penaltyRate
        this.band[row] = p.bandRate
        this.target[row] = p.targetHealth
        this.shareMax[row] = p.stepShareMax
        this.notionalMax[row] = p.stepNotionalMax
        row++
      }
    })
  }

  /** Penalty rate for a position of `notional` cash units in instrument `i`. */
  penaltyRate(i: number, notional: number): number {
    return this.value(this.penalty, i, notional)
  }

  /** Book band (fraction of mark) for a position of `notional` cash units in instrument `i`. */
  bandRate(i: number, notional: number): number {
    return this.value(this.band, i, notional)
  }

  /** Health a partial step restores, for a position of `notional` cash units in instrument `i`. */
  targetHealth(i: number, notional: number): number {
    return this.value(this.target, i, notional)
  }

  /** Largest share of the position closed per step. */
  stepShareMax(i: number, notional: number): number {
    return this.value(this.shareMax, i, notional)
  }

  /** Largest notional (cash units) closed per step. */
  stepNotionalMax(i: number, notional: number): number {
    return this.value(this.notionalMax, i, notional)
  }

  private value(column: Float64Array, i: number, notional: number): number {
    const first = this.offset[i] as number
    const last = first + (this.count[i] as number) - 1
    if (this.shape[i] === TABLE) {
      let row = first
      while (row < last && notional > (this.notional[row] as number)) row++
      return column[row] as number
    }
    if (notional <= (this.notional[first] as number)) return column[first] as number
    for (let row = first + 1; row <= last; row++) {
      const x1 = this.notional[row] as number
      if (notional <= x1) {
        const x0 = this.notional[row - 1] as number
        const y0 = column[row - 1] as number
        return y0 + ((column[row] as number) - y0) * ((notional - x0) / (x1 - x0))
      }
    }
    return column[last] as number
  }
}
