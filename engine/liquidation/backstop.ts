// The backstop: the insurance fund's account (0) takes at the mark price what neither the book
// nor a liquidator took. Taking at mark leaves the fund's equity unchanged but adds risk, so
// the fund is margined like any account, above a reserve:
//
//   free capital = fund equity − fundReserve − initial margin of the fund's positions
//
// In 'adl' mode the backstop takes only as many lots as keep its free capital ≥ 0 (what it
// cannot take is auto-deleveraged); the fund is *exhausted* when its free capital is ≤ 0. In
// 'socialized' mode it takes everything (losses beyond the fund are socialised instead). In
// both modes, a risk limit: no take makes the fund's position in an instrument larger than
// fundPositionNotionalMax at mark. Fund payouts of deficits never exceed the free capital.
//
// Why the mark: it is the price every margin number of the venue uses, so the takeover itself
// moves no equity — neither the account's (which pays the liquidation penalty for the service)
// nor the fund's; what the fund gains or loses is then its own P&L on the position until it has
// unwound it into the market (insurance_fund.ts), and that is what its balance sheet shows. A
// bankruptcy-price takeover (Binance's insurance fund) would instead hand the fund the account's
// remaining margin, which a partial step — it leaves the account solvent — cannot do.

import { INSURANCE_FUND_ACCOUNT } from '../venue_config.js'
import { BUY, type BookSide } from '../market/order_book.js'
import type { Venue } from '../venue.js'
import { UNBOUNDED, type LiquidationConfig } from './liquidation_config.js'

/** The insurance fund as backstop taker and as payer of deficits. */
export class Backstop {
  /** Called after every takeover (the fund schedules its unwind). */
  onTake: (t: number, cause: number) => void = () => {}

  constructor(private readonly venue: Venue, private readonly config: LiquidationConfig) {}

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
    const taken = Math.min(this.config.deficitMode === 'adl' ? this.capacityLots(i, side, lots) : lots, this.limitLots(i, side, lots))
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
    this.onTake(t, takeover.seq)
    return taken
  }

  /** Most of `lots` the fund can take on the far side of a `side` closing trade within fundPositionNotionalMax. */
  private limitLots(i: number, side: BookSide, lots: number): number {
    const limit = this.config.fundPositionNotionalMax
    if (limit >= UNBOUNDED) return lots
    const { margin, accounts } = this.venue
    const lotValue = (margin.markTicks[i] as number) * (margin.cashPerTickLot[i] as number)
    const position = accounts.position(INSURANCE_FUND_ACCOUNT, i)
    const direction = side === BUY ? -1 : 1 // the fund trades opposite the liquidated account
    const limitLots = Math.floor(limit / lotValue)
    // |position + direction·x| ≤ limitLots: x ≤ limitLots − |position| when adding to the position, + |position| when reducing it
    const room = position * direction >= 0 ? limitLots - Math.abs(position) : limitLots + Math.abs(position)
    return Math.max(0, Math.min(lots, room))
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
