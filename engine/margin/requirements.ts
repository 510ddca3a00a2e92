// Margin requirements by notional bracket ("tiers"), the form Binance and Hyperliquid publish:
//
//   maintenance margin = notional · maintenanceRate[t] − maintenanceAmount[t]
//   initial margin     = notional · initialRate[t]
//
// where t is the first tier whose maxNotional ≥ notional (the last tier also applies above its
// cap). A flat rate is one tier; Hyperliquid's leverage-derived rule is maintenanceRate =
// 1 / (2 · max leverage), initialRate = 1 / max leverage. The maintenance amount, when not given,
// follows both venues' published recurrence (Binance "How to Calculate Liquidation Price of
// USDⓈ-M Futures Contracts"; Hyperliquid docs "Margin tiers"):
//
//   amount[0] = 0,  amount[n] = amount[n−1] + lowerBound[n] · (rate[n] − rate[n−1])
//
// which makes the maintenance margin continuous in notional. All instruments' tiers live in one
// flat table (struct of arrays) so requirement evaluation allocates nothing.

import type { InstrumentConfig, MarginTier } from '../venue_config.js'

/** A tier row before compilation, in quote currency (maxNotional undefined = unbounded, last tier only). */
export interface TierSpec {
  maxNotional?: number
  maintenanceRate: number
  initialRate: number
  /** Omitted: derived by the continuity recurrence. */
  maintenanceAmount?: number
}

/** One tier with the given rates and no cap. */
export function flatTiers(initialRate: number, maintenanceRate: number): TierSpec[] {
  return [{ initialRate, maintenanceRate }]
}

/** Hyperliquid-style: maintenance = 1 / (2 · max leverage), initial = 1 / max leverage. */
export function leverageTier(maxLeverage: number, maxNotional?: number): TierSpec {
  return { maxNotional, initialRate: 1 / maxLeverage, maintenanceRate: 1 / (2 * maxLeverage) }
}

/** Unbounded last tiers get this cap (cash units): any notional a float can hold exactly. */
export const TIER_CAP_UNBOUNDED = Number.MAX_SAFE_INTEGER

/** Converts tier specs (quote currency) to engine tiers (cash units), deriving missing maintenance amounts. */
export function compileTiers(specs: readonly TierSpec[], cashUnit: number): MarginTier[] {
  const tiers: MarginTier[] = []
  let amount = 0
  let previousRate = 0
  let lowerBound = 0
  for (const spec of specs) {
    // The recurrence in quote currency; converted to cash units once, at the end.
    amount = spec.maintenanceAmount ?? amount + lowerBound * (spec.maintenanceRate - previousRate)
    tiers.push({
      maxNotional: spec.maxNotional === undefined ? TIER_CAP_UNBOUNDED : spec.maxNotional / cashUnit,
      maintenanceRate: spec.maintenanceRate,
      initialRate: spec.initialRate,
      maintenanceAmount: amount / cashUnit,
    })
    previousRate = spec.maintenanceRate
    lowerBound = spec.maxNotional ?? lowerBound
  }
  return tiers
}

/** All instruments' tiers, flat. Tier k of instrument i is row tierOffset[i] + k. */
export class RequirementTable {
  readonly tierOffset: Int32Array
  readonly tierCount: Int32Array
  readonly maxNotional: Float64Array
  readonly maintenanceRate: Float64Array
  readonly initialRate: Float64Array
  readonly maintenanceAmount: Float64Array

  constructor(instruments: readonly InstrumentConfig[]) {
    const rows = instruments.reduce((n, x) => n + x.tiers.length, 0)
    this.tierOffset = new Int32Array(instruments.length)
    this.tierCount = new Int32Array(instruments.length)
    this.maxNotional = new Float64Array(rows)
    this.maintenanceRate = new Float64Array(rows)
    this.initialRate = new Float64Array(rows)
    this.maintenanceAmount = new Float64Array(rows)
    let row = 0
    instruments.forEach((instrument, i) => {
      this.tierOffset[i] = row
      this.tierCount[i] = instrument.tiers.length
      for (const tier of instrument.tiers) {
        this.maxNotional[row] = tier.maxNotional
        this.maintenanceRate[row] = tier.maintenanceRate
        this.initialRate[row] = tier.initialRate
        this.maintenanceAmount[row] = tier.maintenanceAmount
        row++
      }
    })
  }

  /** Row of the tier that applies to `notional` (cash units) of instrument `i`. */
  tierRow(i: number, notional: number): number {
    const first = this.tierOffset[i] as number
    const last = first + (this.tierCount[i] as number) - 1
    let row = first
    while (row < last && notional > (this.maxNotional[row] as number)) row++
    return row
  }

  /** Maintenance margin of one position of `notional` cash units in instrument `i` (never negative). */
  maintenance(i: number, notional: number): number {
    if (notional === 0) return 0
    const row = this.tierRow(i, notional)
    const margin = notional * (this.maintenanceRate[row] as number) - (this.maintenanceAmount[row] as number)
    return margin > 0 ? margin : 0
  }

  /** Initial margin of one position of `notional` cash units in instrument `i`. */
  initial(i: number, notional: number): number {
    if (notional === 0) return 0
    return notional * (this.initialRate[this.tierRow(i, notional)] as number)
  }
}
