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
//
// The queue is an indexed binary heap on (score desc, id asc), kept between runs while prices
// stand still (one cascade inside one input runs ADL again and again): only accounts the store's
// change journal shows changed since are re-scored, so a run costs O((changed + picks) · log
// candidates), not a pass over every account. A pick pops its account; having traded, it is
// re-scored (and pushed back) by the next run. Scores are the same pure function of state either
// way and (score, id) is a total order, so the journal does not depend on the cache.

import type { Venue } from '../venue.js'
import { INSURANCE_FUND_ACCOUNT } from '../venue_config.js'

/** Ranks opposing positions and reduces them against a bankrupt account. */
export class AutoDeleveraging {
  // The heap: candidates[0] is the best; slotOf[b] is b's index in it.
  private candidates = new Int32Array(256)
  private scores = new Float64Array(256)
  private count = 0
  // The cached queue: for (instrument, sign), built at these prices, up to date to cacheCursor in the store's change journal.
  private cacheValid = false
  private cacheInstrument = -1
  private cacheSign = 0
  private cacheCursor = 0
  private cacheDrains = -1
  private cachePrices = new Float64Array(0)
  /** slotOf[b]: b's index in candidates, or -1. */
  private slotOf = new Int32Array(0)

  constructor(private readonly venue: Venue, private readonly touch: (account: number) => void) {}

  /** Closes `lots` of account `a`'s position in `i` against the ADL queue at a's bankruptcy price. */
  run(t: number, cause: number, a: number, i: number, lots: number): void {
    const store = this.venue.accounts
    const side = store.position(a, i) > 0 ? 1 : -1
    const price = this.priceTicks(a, i, lots, side)
    const cpt = this.venue.margin.cashPerTickLot[i] as number
    this.prepare(i, -side)
    let remaining = lots
    let rank = 0
    while (remaining > 0) {
      const b = this.takeBest(a)
      if (b < 0) break
      const take = Math.min(Math.abs(store.position(b, i)), remaining)
      this.trade(t, cause, a, b, i, side, price, take, ++rank, cpt)
      remaining -= take
    }
    // the fund takes what nobody else holds the other side of (unless the fund itself is being deleveraged)
    if (remaining > 0 && a !== INSURANCE_FUND_ACCOUNT) this.trade(t, cause, a, INSURANCE_FUND_ACCOUNT, i, side, price, remaining, ++rank, cpt)
  }

  /** Bankruptcy price (ticks) of `lots` lots of a's position in `i` (margin/liquidation_price.ts for part of it), rounded in a's favour, at least 1. */
  private priceTicks(a: number, i: number, lots: number, side: number): number {
    const { margin, accounts } = this.venue
    const exact = (margin.markTicks[i] as number) - (side * margin.equity(accounts, a)) / (lots * (margin.cashPerTickLot[i] as number))
    return Math.max(1, side > 0 ? Math.ceil(exact) : Math.floor(exact))
  }

  /** Brings the queue of positions in `i` with sign `sign` up to date (rebuilt when prices moved). */
  private prepare(i: number, sign: number): void {
    const { margin, accounts } = this.venue
    const prices = this.cachePrices
    let fresh = this.cacheValid && this.cacheInstrument === i && this.cacheSign === sign && this.cacheDrains === accounts.drains
      && this.slotOf.length === accounts.capacity && prices.length === margin.instruments + margin.assets
    for (let k = 0; fresh && k < margin.instruments; k++) fresh = prices[k] === margin.markTicks[k]
    for (let k = 0; fresh && k < margin.assets; k++) fresh = prices[margin.instruments + k] === margin.assetPriceTicks[k]
    if (fresh) {
      // every change since the last run, in order (an account changed twice is re-scored twice)
      const journal = accounts.changeJournal
      for (let k = this.cacheCursor; k < journal.length; k++) this.rescore(journal[k] as number)
    } else {
      this.rebuild(i, sign)
    }
    this.cacheCursor = accounts.changeJournal.length
  }

  /** Scores every account holding `i` with sign `sign` (not the fund). */
  private rebuild(i: number, sign: number): void {
    const { margin, accounts } = this.venue
    if (this.slotOf.length !== accounts.capacity) {
      this.slotOf = new Int32Array(accounts.capacity)
    }
    this.slotOf.fill(-1)
    this.cacheValid = true
    this.cacheInstrument = i
    this.cacheSign = sign
    this.cacheDrains = accounts.drains
    if (this.cachePrices.length !== margin.instruments + margin.assets) this.cachePrices = new Float64Array(margin.instruments + margin.assets)
    this.cachePrices.set(margin.markTicks.subarray(0, margin.instruments))
    this.cachePrices.set(margin.assetPriceTicks.subarray(0, margin.assets), margin.instruments)
    this.count = 0
    for (let b = 0; b < accounts.count; b++) this.rescore(b)
  }

  /** Puts b in the queue with its current score, or takes it out if it no longer holds the side. */
  private rescore(b: number): void {
    const { margin, accounts } = this.venue
    const i = this.cacheInstrument
    const lots = accounts.position(b, i)
    const slot = this.slotOf[b] as number
    if (b === INSURANCE_FUND_ACCOUNT || lots === 0 || (lots > 0 ? 1 : -1) !== this.cacheSign) {
      if (slot >= 0) this.removeAt(slot)
      return
    }
    const cpt = margin.cashPerTickLot[i] as number
    const entryValue = Math.abs(accounts.entryCostTicks[b * accounts.instruments + i] as number) * cpt
    const pnlRate = entryValue > 0 ? margin.unrealizedPnl(accounts, b, i) / entryValue : 0
    const leverage = margin.notional(accounts, b, i) / Math.max(1, margin.equity(accounts, b))
    const score = pnlRate > 0 ? pnlRate * leverage : pnlRate / leverage
    if (slot >= 0) {
      this.scores[slot] = score
      this.siftDown(this.siftUp(slot))
      return
    }
    if (this.count === this.candidates.length) this.grow()
    const k = this.count++
    this.candidates[k] = b
    this.scores[k] = score
    this.slotOf[b] = k
    this.siftUp(k)
  }

  /** Pops the best candidate (highest score, then lowest id) other than the bankrupt account, or -1. */
  private takeBest(bankrupt: number): number {
    if (this.count === 0) return -1
    const best = this.candidates[0] as number
    this.removeAt(0)
    if (best !== bankrupt) return best
    // (cannot happen: the bankrupt account holds the other side) keep it queued, look further
    const next = this.takeBest(bankrupt)
    this.rescore(best)
    return next
  }

  /** True if heap entry j ranks above entry k. */
  private above(j: number, k: number): boolean {
    const sj = this.scores[j] as number
    const sk = this.scores[k] as number
    return sj > sk || (sj === sk && (this.candidates[j] as number) < (this.candidates[k] as number))
  }

  private swap(j: number, k: number): void {
    const cj = this.candidates[j] as number
    const ck = this.candidates[k] as number
    const sj = this.scores[j] as number
    this.candidates[j] = ck
    this.candidates[k] = cj
    this.scores[j] = this.scores[k] as number
    this.scores[k] = sj
    this.slotOf[ck] = j
    this.slotOf[cj] = k
  }

  private siftUp(k: number): number {
    while (k > 0) {
      const parent = (k - 1) >> 1
      if (!this.above(k, parent)) break
      this.swap(k, parent)
      k = parent
    }
    return k
  }

  private siftDown(k: number): void {
    for (;;) {
      const left = 2 * k + 1
      if (left >= this.count) return
      const right = left + 1
      const child = right < this.count && this.above(right, left) ? right : left
      if (!this.above(child, k)) return
      this.swap(k, child)
      k = child
    }
  }

  private removeAt(k: number): void {
    const b = this.candidates[k] as number
    this.count--
    if (k !== this.count) {
      this.swap(k, this.count)
      this.siftDown(this.siftUp(k))
    }
    this.slotOf[b] = -1
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
