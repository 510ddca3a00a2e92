// Per-position liquidation and bankruptcy prices: the mark price of instrument i at which the
// account's pool would reach health 1 (equity = maintenance margin), or zero equity, holding every
// other price fixed (other instruments, collateral — also collateral in i's own base asset).
//
// With q = |lots|, s = ±1 the side, c = cashPerTickLot, M the current mark, E the pool's
// equity and MMo the maintenance margin of its other positions, equity at mark P is
// E + s·q·c·(P − M) and, in tier t, this position's maintenance margin is q·c·P·mmr_t − amount_t:
//
//   liquidation price P_t = (MMo − amount_t − E + s·q·c·M) / (q·c·(s − mmr_t))
//   bankruptcy price  P   = M − s·E / (q·c)
//
// The first is Binance's published cross-margin formula (WB − TMM1 + UPNL1 + cum − side·qty·EP)
// / (qty·MMR − side·qty) rewritten in our terms, and Hyperliquid's
// liq_price = price − side · margin_available / size / (1 − mmr · side) for one tier. With a
// tier table, P_t is solved per tier and the answer is the P_t whose notional q·c·P_t falls in
// tier t (Binance: "substitute the maintenance margin rate and amount of the level at the
// liquidation price"). Equity − maintenance is monotone in P (slope q·c·(s − mmr)), so at most one
// tier's solution is consistent. No price > 0 → NaN (the calculator prints null).

import type { AccountStore } from './account_store.js'
import type { MarginModel } from './margin.js'

/** Mark price (ticks) of instrument `i` at which account `a`'s health reaches 1; NaN if none > 0. */
export function liquidationPriceTicks(model: MarginModel, store: AccountStore, a: number, i: number): number {
  const lots = store.positionLots[a * model.instruments + i] as number
  if (lots === 0) return Number.NaN
  const side = lots > 0 ? 1 : -1
  const size = (lots < 0 ? -lots : lots) * (model.cashPerTickLot[i] as number)
  const mark = model.markTicks[i] as number
  const table = model.requirements
  const equity = model.equity(store, a)
  const otherMaintenance = model.maintenanceMargin(store, a) - table.maintenance(i, size * mark)
  const first = table.tierOffset[i] as number
  const last = first + (table.tierCount[i] as number) - 1
  for (let row = first; row <= last; row++) {
    const rate = table.maintenanceRate[row] as number
    const price = (otherMaintenance - (table.maintenanceAmount[row] as number) - equity + side * size * mark) / (size * (side - rate))
    if (!(price > 0)) continue
    const notional = size * price
    const lower = row === first ? 0 : (table.maxNotional[row - 1] as number)
    const upper = row === last ? Infinity : (table.maxNotional[row] as number)
    if (notional > lower && notional <= upper) return price
  }
  return Number.NaN
}

/** Mark price (ticks) of instrument `i` at which account `a`'s equity reaches 0; NaN if none > 0. */
export function bankruptcyPriceTicks(model: MarginModel, store: AccountStore, a: number, i: number): number {
  const lots = store.positionLots[a * model.instruments + i] as number
  if (lots === 0) return Number.NaN
  const price = (model.markTicks[i] as number) - model.equity(store, a) / (lots * (model.cashPerTickLot[i] as number))
  return price > 0 ? price : Number.NaN
}
