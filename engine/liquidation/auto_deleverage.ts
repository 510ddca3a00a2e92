// Auto-deleveraging (ADL): when the insurance fund is exhausted, the part of a full liquidation
// that nobody took is closed against the opposite side's positions at the liquidated account's
// bankruptcy price, so its loss is borne by the traders most able to bear it instead of becoming
// bad debt.
//
// Price: closing the remaining q lots of side s (+1 long) at P moves the account's equity E by
// s·q·c·(P − M), so P = M − s·E/(q·c) leaves it at exactly zero: the bankruptcy price of what is
// left (other prices fixed). P is rounded to a whole tick in the liquidated account's favour
// (up for a long's sale, down for a short's purchase) so its equity stays ≥ 0.
//
// Queue (BitMEX / Binance / MEXC "ADL ranking"): every opposing position b, ranked by
//   score = PnL% × effective leverage   if PnL% > 0,   PnL% / effective leverage otherwise,
//   PnL% = unrealised PnL / |entry value|,   effective leverage = notional / equity
// (mark value / (mark value − bankruptcy value) in the venues' words: the pool's equity is
// that difference), highest first, ties by account id. Profitable positions are reduced first;
// unprofitable ones only if the profitable ones are not enough. The insurance fund and the
// liquidated account itself are never in the queue; if the queue runs dry (only the fund holds
// the other side) the fund takes the rest at P. Each reduction is an AutoDeleverage event whose
// cause is the liquidation step (or the auction end) that handed the lots over.

import type { Venue } from '../venue.js'
import { INSURANCE_FUND_ACCOUNT } from '../venue_config.js'

/** Ranks opposing positions and reduces them against a bankrupt account. */
export class AutoDeleveraging {
  // Candidates of the current run (account ids and scores); picked best-first, one pass per pick,
  // since a run usually takes only the first few: O(candidates · picks), no sort, no allocation.
  private candidates = new Int32Array(256)
  private scores = new Float64Array(256)
  private count = 0

  constructor(private readonly venue: Venue, private readonly touch: (account: number) => void) {}

  /** Closes `lots` of account `a`'s position in `i` against the ADL queue at a's bankruptcy price. */
  run(t: number, cause: number, a: number, i: number, lots: number): void {
    const store = this.venue.accounts
    const side = store.position(a, i) > 0 ? 1 : -1
    const price = this.priceTicks(a, i, lots, side)
    const cpt = this.venue.margin.cashPerTickLot[i] as number
    this.collect(a, i, -side)
    let remaining = lots
    let rank = 0
    while (remaining > 0) {
      const b = this.takeBest()
      if (b < 0) break
      const take = Math.min(Math.abs(store.position(b, i)), remaining)
      this.trade(t, cause, a, b, i, side, price, take, ++rank, cpt)
      remaining -= take
    }
    if (remaining > 0) this.trade(t, cause, a, INSURANCE_FUND_ACCOUNT, i, side, price, remaining, ++rank, cpt)
  }

  /** Bankruptcy price (ticks) of `lots` lots of a's position in `i` (margin/liquidation_price.ts for part of it), rounded in a's favour, at least 1. */
  private priceTicks(a: number, i: number, lots: number, side: number): number {
    const { margin, accounts } = this.venue
    const exact = (margin.markTicks[i] as number) - (side * margin.equity(accounts, a)) / (lots * (margin.cashPerTickLot[i] as number))
    return Math.max(1, side > 0 ? Math.ceil(exact) : Math.floor(exact))
  }

  /** Scores every account holding `i` with sign `sign` (not the bankrupt one, not the fund). */
  private collect(bankrupt: number, i: number, sign: number): void {
    const { margin, accounts } = this.venue
    const cpt = margin.cashPerTickLot[i] as number
    this.count = 0
    for (let b = 0; b < accounts.count; b++) {
      if (b === bankrupt || b === INSURANCE_FUND_ACCOUNT) continue
      const lots = accounts.position(b, i)
      if (lots === 0 || (lots > 0 ? 1 : -1) !== sign) continue
      const entryValue = Math.abs(accounts.entryCostTicks[b * accounts.instruments + i] as number) * cpt
      const pnlRate = entryValue > 0 ? margin.unrealizedPnl(accounts, b, i) / entryValue : 0
      const leverage = margin.notional(accounts, b, i) / Math.max(1, margin.equity(accounts, b))
      if (this.count === this.candidates.length) this.grow()
      this.candidates[this.count] = b
      this.scores[this.count] = pnlRate > 0 ? pnlRate * leverage : pnlRate / leverage
      this.count++
    }
  }

  /** Removes and returns the best remaining candidate (highest score, then lowest id), or -1. */
  private takeBest(): number {
    let best = -1
    for (let k = 0; k < this.count; k++) {
      if (best < 0) { best = k; continue }
      const score = this.scores[k] as number
      const bestScore = this.scores[best] as number
      if (score > bestScore || (score === bestScore && (this.candidates[k] as number) < (this.candidates[best] as number))) best = k
    }
    if (best < 0) return -1
    const account = this.candidates[best] as number
    this.count--
    this.candidates[best] = this.candidates[this.count] as number
    this.scores[best] = this.scores[this.count] as number
    return account
  }

  private grow(): void {
    const candidates = new Int32Array(this.candidates.length * 2)
    candidates.set(this.candidates)
    const scores = new Float64Array(this.scores.length * 2)
    scores.set(this.scores)
    this.candidates = candidates
    this.scores = scores
  }

  private trade(t: number, cause: number, a: number, b: number, i: number, side: number, price: number, lots: number, rank: number, cpt: number): void {
    const store = this.venue.accounts
    store.trade(a, i, -side * lots, price, cpt)
    store.trade(b, i, side * lots, price, cpt)
    this.touch(b)
    this.venue.emit({
      kind: 'AutoDeleverage', seq: 0, t, cause, account: b, bankrupt: a, instrument: i,
      side: side > 0 ? 'buy' : 'sell', priceTicks: price, lots, rank,
    })
  }
}
