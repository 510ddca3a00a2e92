// The risk kernel: equity, maintenance margin, health and safe band of accounts, straight from
// the flat columns of risk_columns.ts. The sequential evaluator, the worker threads and the
// liquidation index all run this one code, with the arithmetic in the same order as
// margin/margin.ts, so every implementation gets bit-identical results (a test checks against
// MarginModel). No allocation, no objects per account: a scan is a loop over memory.
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

/** Maintenance margin of one position of `notional` cash units in instrument `i` (as RequirementTable.maintenance). */
function maintenanceOf(c: RiskColumns, i: number, notional: number): number {
  if (notional === 0) return 0
  const first = c.tierOffset[i] as number
  const last = first + (c.tierCount[i] as number) - 1
  let row = first
  while (row < last && notional > (c.maxNotional[row] as number)) row++
  const margin = notional * (c.maintenanceRate[row] as number) - (c.maintenanceAmount[row] as number)
  return margin > 0 ? margin : 0
}

/** Haircut value of `units` of asset k (cash units; as MarginModel.collateralValueOf). */
function collateralValueOf(c: RiskColumns, k: number, units: number): number {
  if (units <= 0) return 0
  const haircut = c.haircut[k] as number
  const sizePremium = c.sizePremium[k] as number
  const base = 1 - haircut
  let weight = base
  const size = units * (c.assetUnit[k] as number)
  if (sizePremium !== 0 && size > 0) {
    const premium = 1.1 / (1 + sizePremium * Math.sqrt(size))
    weight = premium < base ? premium : base
  }
  return units * (c.assetPriceTicks[k] as number) * (c.cashPerTickUnit[k] as number) * weight
}

/**
 * Evaluates account `a` into out[0] = health, out[1] = band (BAND_NONE when unhealthy or too
 * close to call, Infinity when no price can move it); returns true if it is unhealthy.
 */
export function accountRisk(c: RiskColumns, a: number, out: Float64Array): boolean {
  const instruments = c.instruments
  const base = a * instruments
  let equity = c.cash[a] as number
  let maintenance = 0
  let exposure = 0
  let jump = 0
  for (let i = 0; i < instruments; i++) {
    const lots = c.positionLots[base + i] as number
    const mark = c.markTicks[i] as number
    const cpt = c.cashPerTickLot[i] as number
    equity += lots * mark * cpt
    if (lots !== 0) {
      const notional = (lots < 0 ? -lots : lots) * mark * cpt
      maintenance += maintenanceOf(c, i, notional)
      exposure += notional * (1 + (c.maintenanceRateMax[i] as number))
      jump += c.maintenanceJump[i] as number
    }
  }
  if (c.assets > 1) {
    let collateral = 0
    const assetBase = a * c.assets
    for (let k = 1; k < c.assets; k++) collateral += collateralValueOf(c, k, c.collateralUnits[assetBase + k] as number)
    equity += collateral
    exposure += collateral
  }
  const unhealthy = equity < maintenance
  out[0] = maintenance === 0 ? (equity < 0 ? -Infinity : Infinity) : equity / maintenance
  if (unhealthy) {
    out[1] = BAND_NONE
  } else {
    // ε covers the rounding of this arithmetic and of the thresholds derived from the band.
    const spare = equity - maintenance - jump - (1 + 1e-9 * ((equity < 0 ? -equity : equity) + maintenance + exposure))
    out[1] = spare <= 0 ? BAND_NONE : exposure === 0 ? Infinity : spare / exposure
  }
  return unhealthy
}

/**
 * Scans accounts [from, to): appends each unhealthy account to accounts[] and its health to
 * health[] from index `offset` on, and writes every account's band to band[a] if given;
 * returns the number of unhealthy accounts.
 */
export function scanRange(
  c: RiskColumns, from: number, to: number, accounts: Int32Array, health: Float64Array, offset: number,
  band: Float64Array | null, scratch: Float64Array,
): number {
  let n = offset
  for (let a = from; a < to; a++) {
    if (accountRisk(c, a, scratch)) {
      accounts[n] = a
      health[n] = scratch[0] as number
      n++
    }
    if (band !== null) band[a] = scratch[1] as number
  }
  return n - offset
}
