// Healthy starts for passive populations. A population whose accounts open below maintenance
// margin is liquidated at t = 0, before any shock, and a summary would then blame the shock for
// that cascade. So every population account is checked at setup, at the start price, with the
// venue's own arithmetic (maintenance tiers, collateral haircuts and size premiums, passed in by
// the world builder), against a margin:
//
//   health at start = equity at start / maintenance margin  ≥  startHealthMin   (default 1.1)
//
//   equity at start = cash + haircut value of collateral (what the holder account received)
//                     + lots · (start − entry) · cash per tick·lot   (0 for pair populations)
//
// An account drawn below it is *clamped*, deterministically and without extra random draws
// (so every other draw of the stream stays what it was):
//   - pair populations (population.ts): its deposit is raised to the least that reaches the
//     margin (leverage clamped down; the pair's lots stay);
//   - distributed populations: its lots are cut to the most that reach it; if one lot at its
//     drawn entry does not, its entry is moved to the start price as well.
// An explicit account list is never clamped: an unhealthy listed account is an error naming it.
// `allowUnhealthyStart: true` turns all of this off; the accounts below maintenance at start are
// then only counted (the run summary reports the flag and the count).
//
// Non-goals: the check is at the start price (the first oracle price), not at a book-based mark.

/** The venue's margin arithmetic at the start prices, for one instrument (cash units). */
export interface StartMargin {
  /** Maintenance margin of one position of `notional` cash units. */
  maintenance(notional: number): number
  /** Value of `units` of asset `asset` as collateral (cash units; asset 0 = cash). */
  collateralValue(asset: number, units: number): number
  /** Least health an account may start with (≥ 1). */
  healthMin: number
  /** Do not clamp: only count accounts starting below maintenance. */
  allowUnhealthy: boolean
}

/** What the start check did to one population. */
export interface StartHealthCount {
  /** Accounts clamped to start at healthMin or above. */
  clamped: number
  /** Accounts starting below maintenance (only with allowUnhealthy). */
  belowMaintenance: number
}

/** Raised for a population that cannot start healthy by construction; `field` names the scenario field. */
export class PopulationStartError extends Error {
  override name = 'PopulationStartError'
  constructor(readonly field: string, detail: string) {
    super(`${field}: ${detail}`)
  }
}

/** Equity of a holder given its deposits ([asset, units]) and unrealised PnL (cash units). */
export function startEquity(margin: StartMargin, deposits: readonly (readonly [number, number])[], pnl: number): number {
  let equity = pnl
  for (const [asset, units] of deposits) equity += asset === 0 ? units : margin.collateralValue(asset, units)
  return equity
}

/** True if equity meets healthMin × maintenance (maintenance 0: any equity ≥ 0). */
export function startsHealthy(margin: StartMargin, equity: number, notional: number, healthMin = margin.healthMin): boolean {
  return equity >= healthMin * margin.maintenance(notional)
}

/** Largest x in [1, high] with ok(x), given ok monotone decreasing in x; 0 if ok(1) fails. */
export function largestWith(high: number, ok: (x: number) => boolean): number {
  if (ok(high)) return high
  if (!ok(1)) return 0
  let low = 1
  while (high - low > 1) {
    const mid = low + Math.floor((high - low) / 2)
    if (ok(mid)) low = mid
    else high = mid
  }
  return low
}

/** Smallest x in [low, ∞) with ok(x), given ok monotone increasing in x (doubling, then bisection). */
export function smallestWith(low: number, ok: (x: number) => boolean): number {
  if (ok(low)) return low
  let high = Math.max(1, low)
  for (let k = 0; !ok(high); k++) {
    if (k > 64) throw new Error('population: no deposit reaches the start health')
    low = high
    high *= 2
  }
  while (high - low > 1) {
    const mid = low + Math.floor((high - low) / 2)
    if (ok(mid)) high = mid
    else low = mid
  }
  return high
}
