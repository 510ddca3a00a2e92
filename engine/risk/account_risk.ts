// The risk kernel: equity, maintenance margin, health and safe band of accounts, straight from
// the flat columns of risk_columns.ts, with the arithmetic in the same order as margin/margin.ts
// (a test checks against MarginModel). This loop is the reference: the kernels the evaluators,
// the worker threads and the liquidation index actually run — compiled per venue shape
// (scan_kernel.ts) or native (native/scan_kernel.cc) — perform the same operations in the same
// order, so every implementation gets bit-identical results (test/unit/scan_kernel.test.ts).
// No allocation, no objects per account: a scan is a loop over memory, with the columns in
// locals and no branch on data the CPU cannot predict (signs, which accounts hold collateral):
// Math.abs and max/min give the same bits as margin.ts's conditionals.
//
//   unhealthy  ⇔ equity < maintenance margin                (MarginModel.isLiquidatable)
//   health     = equity / maintenance (±Infinity with no requirement, by the sign of equity)
//   band       = relative price move every factor may make against the account, all at once,
//                before it can become unhealthy (liquidation_index.ts):
//                  W = Σ_i |lots_i|·mark_i·cpt_i·(1 + maxRate_i) + Σ_k collateral value_k
//                  band = (equity − maintenance − Σ_i jump_i − ε) / W

import type { RiskColumns } from './risk_columns.js'

/** Band of an account that is unhealthy or must be re-checked on any price change. */
export const BAND_NONE = 0

/**
 * Scans accounts [from, to): appends each unhealthy account to accounts[] and its health to
 * health[] from index `offset` on, writes each account's band to band[bandBase + a − from] if
 * `band` is given, and returns the number of unhealthy accounts.
 */
export function scanRange(
  c: RiskColumns, from: number, to: number, accounts: Int32Array, health: Float64Array, offset: number,
  band: Float64Array | null, bandBase: number,
): number {
  const instruments = c.instruments
  const assets = c.assets
  const cash = c.cash
  const positionLots = c.positionLots
  const collateralUnits = c.collateralUnits
  const markTicks = c.markTicks
  const cashPerTickLot = c.cashPerTickLot
  const tierOffset = c.tierOffset
  const tierCount = c.tierCount
  const maxNotional = c.maxNotional
  const maintenanceRate = c.maintenanceRate
  const maintenanceAmount = c.maintenanceAmount
  const rateMax = c.maintenanceRateMax
  const jumps = c.maintenanceJump
  const assetPriceTicks = c.assetPriceTicks
  const cashPerTickUnit = c.cashPerTickUnit
  const assetUnit = c.assetUnit
  const haircut = c.haircut
  const sizePremium = c.sizePremium
  let n = offset
  for (let a = from; a < to; a++) {
    const base = a * instruments
    let equity = cash[a] as number
    let maintenance = 0
    let exposure = 0
    let jump = 0
    for (let i = 0; i < instruments; i++) {
      const lots = positionLots[base + i] as number
      const mark = markTicks[i] as number
      const cpt = cashPerTickLot[i] as number
      equity += lots * mark * cpt
      if (lots !== 0) {
        const notional = Math.abs(lots) * mark * cpt
        // RequirementTable.maintenance: the first tier whose cap holds the notional
        let row = tierOffset[i] as number
        const last = row + (tierCount[i] as number) - 1
        while (row < last && notional > (maxNotional[row] as number)) row++
        const margin = notional * (maintenanceRate[row] as number) - (maintenanceAmount[row] as number)
        maintenance += notional === 0 ? 0 : Math.max(margin, 0)
        exposure += notional * (1 + (rateMax[i] as number))
        // A position without a mark yet has no notional to budget: any first mark may matter.
        jump += mark === 0 ? Infinity : (jumps[i] as number)
      }
    }
    if (assets > 1) {
      let collateral = 0
      const assetBase = a * assets
      for (let k = 1; k < assets; k++) {
        // MarginModel.collateralValueOf (0 for units ≤ 0) and collateral.ts's assetWeight: at size 0
        // the size premium is 1.1 > 1 − haircut, so min() picks the flat weight, as assetWeight does.
        const units = Math.max(collateralUnits[assetBase + k] as number, 0)
        const flat = 1 - (haircut[k] as number)
        const premium = sizePremium[k] as number
        const weight = premium === 0 ? flat : Math.min(1.1 / (1 + premium * Math.sqrt(units * (assetUnit[k] as number))), flat)
        collateral += units * (assetPriceTicks[k] as number) * (cashPerTickUnit[k] as number) * weight
      }
      equity += collateral
      exposure += collateral
    }
    const unhealthy = equity < maintenance
    if (unhealthy) {
      accounts[n] = a
      health[n] = maintenance === 0 ? (equity < 0 ? -Infinity : Infinity) : equity / maintenance
      n++
    }
    if (band !== null) {
      // ε covers the rounding of this arithmetic and of the thresholds derived from the band.
      const spare = equity - maintenance - jump - (1 + 1e-9 * (Math.abs(equity) + maintenance + exposure))
      // With nothing a price moves (flat, no collateral: e.g. a liquidated account left at 0), nothing can cross.
      band[bandBase + a - from] = unhealthy ? BAND_NONE : exposure === 0 && jump === 0 ? Infinity : spare <= 0 ? BAND_NONE : spare / exposure
    }
  }
  return n - offset
}

/** Scratch for accountRisk (one account at a time). */
export class AccountRiskScratch {
  readonly accounts = new Int32Array(1)
  readonly health = new Float64Array(1)
  readonly band = new Float64Array(1)
}

/** True if account `a` is unhealthy by the reference loop; leaves its band in scratch.band[0] (BAND_NONE when unhealthy or too close to call, Infinity when no price can move it). Tests use it to read one account. */
export function accountRisk(c: RiskColumns, a: number, scratch: AccountRiskScratch): boolean {
  return scanRange(c, a, a + 1, scratch.accounts, scratch.health, 0, scratch.band, 0) === 1
}
