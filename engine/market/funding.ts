// Funding of perpetuals: the periodic payment between longs and shorts that pulls the contract
// toward its index (the oracle). Binance USDⓈ-M's published rules ("Introduction to Binance
// Futures Funding Rates"; the 2025-09 update for intervals other than 8 h):
//
//   premium index  P  = [max(0, impact bid − index) − max(0, index − impact ask)] / index
//   average        P̄  = mean of the samples of the interval (Binance weighs sample k by k)
//   funding rate   F  = [P̄ + clamp(I − P̄, −c, c)] · interval / 8 h,  then clamped to ±cap
//   payment           = position lots · mark · cashPerTickLot · F   (longs pay shorts when F > 0)
//
// with I the interest rate and c the clamp per 8 hours (0.01% and 0.05% on Binance). Payments
// are integer cash units and exactly zero-sum: each payer pays its amount floored, and what
// the payers paid is split among the receivers in proportion to their lots, floored, the few
// units left over going one each to the largest remainders (ties: lower account id). Funding
// moves cash only between accounts, so value conservation holds as before.

import type { FundingConfig } from './market_config.js'

const EIGHT_HOURS_MS = 8 * 3_600_000

/** Premium index (fraction) from the index and the impact bid / ask (ticks; NaN = that side is empty). */
export function premiumIndex(indexTicks: number, impactBidTicks: number, impactAskTicks: number): number {
  if (!(indexTicks > 0)) return 0
  const rich = impactBidTicks > indexTicks ? impactBidTicks - indexTicks : 0
  const cheap = impactAskTicks < indexTicks ? indexTicks - impactAskTicks : 0
  return (rich - cheap) / indexTicks
}

/** Funding rate per interval from the average premium (fraction). */
export function fundingRate(config: FundingConfig, averagePremium: number): number {
  const gap = config.interestRate8h - averagePremium
  const clamped = gap > config.clampRate8h ? config.clampRate8h : gap < -config.clampRate8h ? -config.clampRate8h : gap
  const rate = ((averagePremium + clamped) * config.intervalMs) / EIGHT_HOURS_MS
  return rate > config.capRate ? config.capRate : rate < -config.capRate ? -config.capRate : rate
}

/** Running average of one interval's premium samples. */
export class PremiumAverage {
  private sum = 0
  private weights = 0
  samples = 0

  constructor(private readonly averaging: FundingConfig['averaging']) {}

  add(premium: number): void {
    this.samples++
    const weight = this.averaging === 'linear_weights' ? this.samples : 1
    this.sum += weight * premium
    this.weights += weight
  }

  /** Average premium so far (0 before the first sample). */
  average(): number {
    return this.weights === 0 ? 0 : this.sum / this.weights
  }

  reset(): void {
    this.sum = 0
    this.weights = 0
    this.samples = 0
  }

  /** [sum, weights, samples] for the state digest. */
  state(): [number, number, number] {
    return [this.sum, this.weights, this.samples]
  }
}

/**
 * Signed funding amounts (cash units; > 0 received, < 0 paid) for positions `lots` (signed, one
 * per account in account order) at `cashPerLot` = mark·cashPerTickLot and rate `rate`. Σ = 0 exactly.
 */
export function allocateFunding(lots: readonly number[], cashPerLot: number, rate: number, out: number[] = []): number[] {
  out.length = lots.length
  let collected = 0
  let receiverLots = 0
  for (let k = 0; k < lots.length; k++) {
    const owed = (lots[k] as number) * cashPerLot * rate // > 0: this account pays
    if (owed > 0) {
      const paid = Math.floor(owed)
      out[k] = paid === 0 ? 0 : -paid // never -0: journal bytes must not depend on the sign of zero
      collected += paid
    } else {
      out[k] = 0
      if (owed < 0) receiverLots += Math.abs(lots[k] as number)
    }
  }
  if (collected === 0 || receiverLots === 0) {
    // Nobody to pay (one-sided book of positions cannot happen while open interest balances).
    for (let k = 0; k < out.length; k++) out[k] = 0
    return out
  }
  let handed = 0
  const remainders: { k: number; fraction: number }[] = []
  for (let k = 0; k < lots.length; k++) {
    if (out[k] !== 0 || !((lots[k] as number) * rate < 0)) continue
    const exact = (collected * Math.abs(lots[k] as number)) / receiverLots
    const share = Math.floor(exact)
    out[k] = share
    handed += share
    remainders.push({ k, fraction: exact - share })
  }
  remainders.sort((a, b) => b.fraction - a.fraction || a.k - b.k)
  for (let n = 0; handed < collected; n++) {
    const r = remainders[n % remainders.length] as { k: number }
    out[r.k] = (out[r.k] as number) + 1
    handed++
  }
  return out
}
