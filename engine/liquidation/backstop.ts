// The backstop: the insurance fund's account (0) takes at the mark price what neither the book
// nor a liquidator took. Taking at mark leaves the fund's equity unchanged but adds risk, so
// the fund is margined like any account, above a reserve:
//
//   free capital = fund equity − fundReserve − initial margin of the fund's positions
//
// In 'adl' mode the backstop takes only as many lots as keep its free capital ≥ 0 (what it
// cannot take is auto-deleveraged); the fund is *exhausted* when its free capital is ≤ 0. In
// 'socialized' mode it takes everything (losses beyond the fund are socialised instead). Fund
// payouts of deficits never exceed the free capital.
//
// What it takes it unwinds (every `backstopUnwindIntervalMs`, a `backstopUnwindShare` of each
// position, at least a lot, as an IOC into the book or impact model within
// `backstopUnwindBandRate` of mark): a takeover moves no price when it happens, so the unwind is
// where that flow meets the market — once, later, with the book's impact (one flow, one
// impact). The unwind is timed by the liquidation clock (LiquidationDeferred for the fund's
// account, whose wake calls unwind); its fills name the wake as cause, so the cascade tree runs
// from the liquidation through the takeover to the unwinding trade.

import { INSURANCE_FUND_ACCOUNT } from '../venue_config.js'
import type { Hash } from 'node:crypto'
import { BUY, SELL, type BookSide } from '../market/order_book.js'
import type { Venue } from '../venue.js'
import type { LiquidationConfig } from './liquidation_config.js'

/** The insurance fund as backstop taker and as payer of deficits. */
export class Backstop {
  /** When the next unwinding order is due (simulated ms), or -1 when none is scheduled. */
  private unwindDueMs = -1

  constructor(private readonly venue: Venue, private readonly config: LiquidationConfig) {}

  /** Sends a share of every backstop position into the market (a LiquidationWake of the fund, `cause` its seq); schedules the next. */
  unwind(t: number, cause: number): void {
    if (this.unwindDueMs > t) return // an earlier wake; the scheduled one comes later
    this.unwindDueMs = -1
    const venue = this.venue
    const share = this.config.backstopUnwindShare
    for (let i = 0; i < venue.config.instruments.length; i++) {
      const position = venue.accounts.position(INSURANCE_FUND_ACCOUNT, i)
      if (position === 0) continue
      const side = position > 0 ? SELL : BUY
      const lots = Math.min(Math.abs(position), Math.max(1, Math.ceil(Math.abs(position) * share)))
      const limit = venue.bandPrice(i, side, this.config.backstopUnwindBandRate)
      venue.takeLiquidity(t, cause, i, INSURANCE_FUND_ACCOUNT, side, limit, lots, false)
    }
    this.scheduleUnwind(t, cause)
  }

  /** Asks the liquidation clock for the next unwind while the fund holds positions (and unwinding is on). */
  private scheduleUnwind(t: number, cause: number): void {
    const interval = this.config.backstopUnwindIntervalMs
    if (interval === 0 || this.unwindDueMs !== -1) return
    const venue = this.venue
    let holds = false
    for (let i = 0; i < venue.config.instruments.length && !holds; i++) holds = venue.accounts.position(INSURANCE_FUND_ACCOUNT, i) !== 0
    if (!holds) return
    this.unwindDueMs = t + interval
    venue.emit({ kind: 'LiquidationDeferred', seq: 0, t, cause, account: INSURANCE_FUND_ACCOUNT, dueMs: this.unwindDueMs })
  }

  /** Adds the unwind timer to a state digest. */
  digest(hash: Hash): void {
    hash.update(Float64Array.of(this.unwindDueMs))
  }

  /** Fund equity − reserve − initial margin of its positions (cash units). */
  freeCapital(): number {
    const { margin, accounts } = this.venue
    return margin.equity(accounts, INSURANCE_FUND_ACCOUNT) - this.config.fundReserve - margin.initialMargin(accounts, INSURANCE_FUND_ACCOUNT)
  }

  /** True when the fund can take no more risk (its free capital is ≤ 0). */
  exhausted(): boolean {
    return this.freeCapital() <= 0
  }

  /** Takes up to `lots` of account `a`'s closing trade (`side`) in instrument `i` at mark; returns the lots taken. */
  take(t: number, cause: number, a: number, i: number, side: BookSide, lots: number): number {
    const taken = this.config.deficitMode === 'adl' ? this.capacityLots(i, side, lots) : lots
    if (taken === 0) return 0
    const venue = this.venue
    const mark = venue.margin.markTicks[i] as number
    const cpt = venue.margin.cashPerTickLot[i] as number
    const signed = side === BUY ? taken : -taken
    venue.accounts.trade(a, i, signed, mark, cpt)
    venue.accounts.trade(INSURANCE_FUND_ACCOUNT, i, -signed, mark, cpt)
    const takeover = venue.emit({
      kind: 'BackstopTakeover', seq: 0, t, cause, account: a, instrument: i,
      side: side === BUY ? 'buy' : 'sell', priceTicks: mark, lots: taken,
    })
    this.scheduleUnwind(t, takeover.seq)
    return taken
  }

  /**
   * Most of `lots` (≤ lots) the fund can take on the far side of a `side` closing trade keeping
   * free capital ≥ 0. Initial margin is convex in the position, so the feasible takes form an
   * interval; this finds its top when it starts at 0 (or all of `lots` when that is feasible).
   */
  private capacityLots(i: number, side: BookSide, lots: number): number {
    const { margin, accounts } = this.venue
    const requirements = margin.requirements
    const lotValue = (margin.markTicks[i] as number) * (margin.cashPerTickLot[i] as number)
    const position = accounts.position(INSURANCE_FUND_ACCOUNT, i)
    const direction = side === BUY ? -1 : 1 // the fund trades opposite the liquidated account
    const budget = margin.equity(accounts, INSURANCE_FUND_ACCOUNT) - this.config.fundReserve
      - margin.initialMargin(accounts, INSURANCE_FUND_ACCOUNT) + requirements.initial(i, Math.abs(position) * lotValue)
    const fits = (x: number): boolean => requirements.initial(i, Math.abs(position + direction * x) * lotValue) <= budget
    if (fits(lots)) return lots
    if (!fits(0)) return 0
    let low = 0 // fits
    let high = lots // does not fit
    while (high - low > 1) {
      const mid = low + Math.floor((high - low) / 2)
      if (fits(mid)) low = mid
      else high = mid
    }
    return low
  }
}
