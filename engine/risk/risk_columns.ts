// The flat arrays a risk scan reads: the account store's columns (SharedArrayBuffers, shared with
// worker threads, never copied) and the margin model's parameters and prices. One plain object
// of typed arrays, so it can be posted to a worker as is and the same scan code runs on both
// sides of the thread boundary.
//
// Beyond the margin model's own arrays it carries, per instrument, the two constants the safe
// band of liquidation_index.ts needs: the largest maintenance rate of its tiers (how fast the
// requirement can grow with notional) and the total jump of its maintenance margin at tier
// boundaries (zero for tier tables built by the continuity recurrence) — and an empty memo of
// collateral size-premium weights for the compiled scan.

import type { AccountStore } from '../margin/account_store.js'
import type { MarginModel } from '../margin/margin.js'
import { sharedFloat64 } from '../shared_columns.js'

/** Everything a risk scan reads, as typed arrays (store columns and prices are shared memory). */
export interface RiskColumns {
  instruments: number
  assets: number
  cash: Float64Array
  collateralUnits: Float64Array
  positionLots: Float64Array
  /** Mark price per instrument (ticks), shared: workers see the venue's current marks. */
  markTicks: Float64Array
  /** Oracle price per asset (ticks), shared. */
  assetPriceTicks: Float64Array
  cashPerTickLot: Float64Array
  cashPerTickUnit: Float64Array
  assetUnit: Float64Array
  haircut: Float64Array
  sizePremium: Float64Array
  tierOffset: Int32Array
  tierCount: Int32Array
  maxNotional: Float64Array
  maintenanceRate: Float64Array
  maintenanceAmount: Float64Array
  /** Largest maintenance rate of instrument i's tiers. */
  maintenanceRateMax: Float64Array
  /** Σ |jump| of instrument i's maintenance margin at its tier boundaries (cash units). */
  maintenanceJump: Float64Array
  /**
   * Memo of size-premium weights, per account and asset with a size premium (a·P + p for the
   * p-th of P such assets): the units the weight in `weight` was computed for (NaN: none yet).
   * Written by the compiled scan (scan_kernel.ts), each thread only for the accounts it scans;
   * shared, and sized to the store's capacity.
   */
  weightUnits: Float64Array
  weight: Float64Array
}

/** The risk columns of a venue's store and margin model (re-take after the store grows). */
export function riskColumns(store: AccountStore, margin: MarginModel): RiskColumns {
  const r = margin.requirements
  const maintenanceRateMax = new Float64Array(margin.instruments)
  const maintenanceJump = new Float64Array(margin.instruments)
  for (let i = 0; i < margin.instruments; i++) {
    const first = r.tierOffset[i] as number
    const last = first + (r.tierCount[i] as number) - 1
    let rateMax = 0
    let jump = 0
    for (let row = first; row <= last; row++) {
      const rate = r.maintenanceRate[row] as number
      if (rate > rateMax) rateMax = rate
      if (row < last) {
        // Margin just below and just above the boundary, per the two rows' formulas.
        const bound = r.maxNotional[row] as number
        const below = bound * rate - (r.maintenanceAmount[row] as number)
        const above = bound * (r.maintenanceRate[row + 1] as number) - (r.maintenanceAmount[row + 1] as number)
        jump += Math.abs(Math.max(0, above) - Math.max(0, below))
      }
    }
    maintenanceRateMax[i] = rateMax
    maintenanceJump[i] = jump
  }
  return {
    instruments: margin.instruments, assets: margin.assets,
    cash: store.cash, collateralUnits: store.collateralUnits, positionLots: store.positionLots,
    markTicks: margin.markTicks, assetPriceTicks: margin.assetPriceTicks,
    cashPerTickLot: margin.cashPerTickLot, cashPerTickUnit: margin.cashPerTickUnit, assetUnit: margin.assetUnit,
    haircut: margin.haircut, sizePremium: margin.sizePremium,
    tierOffset: r.tierOffset, tierCount: r.tierCount, maxNotional: r.maxNotional,
    maintenanceRate: r.maintenanceRate, maintenanceAmount: r.maintenanceAmount,
    maintenanceRateMax, maintenanceJump,
    ...weightMemo(store.capacity, margin),
  }
}

/** An empty weight memo for `capacity` accounts (a slot per account and size-premium asset). */
function weightMemo(capacity: number, margin: MarginModel): { weightUnits: Float64Array; weight: Float64Array } {
  const slots = Math.max(1, capacity * premiumAssetCount(margin.sizePremium))
  return { weightUnits: sharedFloat64(slots).fill(Number.NaN), weight: sharedFloat64(slots) }
}

/** Non-cash assets with a size premium (the memo's slots per account). */
export function premiumAssetCount(sizePremium: Float64Array): number {
  let count = 0
  for (let k = 1; k < sizePremium.length; k++) if ((sizePremium[k] as number) !== 0) count++
  return count
}
