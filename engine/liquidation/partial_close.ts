// How much a partial liquidation step closes: just enough of one position to bring the pool's
// health back to a target, and the per-step caps.
//
// Closing q of the Q lots of position i at mark M (c = cashPerTickLot), paying penalty rate r on
// the closed notional, changes the pool's equity E and maintenance margin MM to
//
//   E(q)  = E − r·q·M·c
//   MM(q) = MM − mm_i(Q·M·c) + mm_i((Q − q)·M·c)
//
// and the step closes the least q with E(q) ≥ H·MM(q). With one flat rate m this is
// q ≥ (H·MM − E) / (M·c·(H·m − r)): closing only helps when H·m > r (a penalty as large as the
// margin freed makes health worse the more is closed). Tiered requirements make MM(q)
// piecewise linear, so q is found by bisection over whole lots; when even Q lots do not reach
// the target the whole position is closed. Fills below mark make the real result a little
// worse: the next step (after the rate-limit interval) takes care of that.

import type { AccountStore } from '../margin/account_store.js'
import type { MarginModel } from '../margin/margin.js'

/** Lots of account `a`'s position in `i` to close to reach `targetHealth` (0 if already there; |position| if nothing less does). */
export function lotsToTargetHealth(
  model: MarginModel, store: AccountStore, a: number, i: number, targetHealth: number, penaltyRate: number,
): number {
  const position = store.position(a, i)
  const lots = position < 0 ? -position : position
  if (lots === 0) return 0
  const lotValue = (model.markTicks[i] as number) * (model.cashPerTickLot[i] as number)
  const equity = model.equity(store, a)
  const requirements = model.requirements
  const otherMaintenance = model.maintenanceMargin(store, a) - requirements.maintenance(i, lots * lotValue)
  const reaches = (q: number): boolean => {
    const maintenance = otherMaintenance + requirements.maintenance(i, (lots - q) * lotValue)
    return equity - penaltyRate * q * lotValue >= targetHealth * maintenance
  }
  if (reaches(0)) return 0
  if (!reaches(lots)) return lots
  let low = 0 // does not reach
  let high = lots // reaches
  while (high - low > 1) {
    const mid = low + Math.floor((high - low) / 2)
    if (reaches(mid)) high = mid
    else low = mid
  }
  return high
}

/** Most lots one step may close of a `lots`-lot position worth `lotValue` cash units a lot (at least 1). */
export function stepLotsMax(lots: number, lotValue: number, stepShareMax: number, stepNotionalMax: number): number {
  const byShare = Math.floor(lots * stepShareMax)
  const byNotional = Math.floor(stepNotionalMax / lotValue)
  return Math.max(1, Math.min(lots, byShare, byNotional))
}
