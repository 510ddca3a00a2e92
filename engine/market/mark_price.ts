// The arithmetic of mark prices, as venues publish it. The venue's Markets (markets.ts) reads the
// oracle, the book or impact model, and the funding state, and combines them here.
//
//   oracle      mark = index (the base asset's oracle price)
//   book_mid    mark = (best bid + best ask) / 2
//   impact_mid  mark = (impact bid + impact ask) / 2, each the average fill price of the impact notional
//   median      mark = median(P1, P2, book mid)                       (Binance USDⓈ-M, "Mark Price")
//               P1 = index · (1 + F̂ · time until funding / funding interval)   (funding-basis price)
//               P2 = index + moving average of (book mid − index)             (basis price)
//
// F̂ is the funding rate the samples so far predict. Binance averages the basis over a window of
// samples; here it is an exponential moving average with a half-life (Hyperliquid's mark uses a
// 150 s EMA of mid − oracle), which needs one number of state instead of a window.

import { expDeterministic } from '../deterministic_math.js'

const LN2 = 0.6931471805599453

/** Median of three numbers. */
export function median3(a: number, b: number, c: number): number {
  if (a > b) {
    if (b > c) return b
    return a > c ? c : a
  }
  if (a > c) return a
  return b > c ? c : b
}

/** Binance's "Price 1": index · (1 + rate · msToFunding / intervalMs) (ticks). */
export function fundingBasisPrice(indexTicks: number, rate: number, msToFunding: number, intervalMs: number): number {
  return indexTicks * (1 + (rate * msToFunding) / intervalMs)
}

/** Weight of a new sample in an EMA with half-life `halfLifeMs`, `elapsedMs` after the previous one: 1 − 2^(−elapsed/halfLife). */
export function emaWeight(elapsedMs: number, halfLifeMs: number): number {
  if (elapsedMs <= 0) return 0
  return 1 - expDeterministic((-LN2 * elapsedMs) / halfLifeMs)
}

/** Mid of a two-sided quote; one side if the other is missing (NaN); NaN if both are. */
export function midOf(bidTicks: number, askTicks: number): number {
  if (Number.isNaN(bidTicks)) return askTicks
  if (Number.isNaN(askTicks)) return bidTicks
  return (bidTicks + askTicks) / 2
}

/** A price (ticks, fractional) as a whole mark ≥ 1 tick. */
export function wholeTicks(priceTicks: number): number {
  return Math.max(1, Math.round(priceTicks))
}
