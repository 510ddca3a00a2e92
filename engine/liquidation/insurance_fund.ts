// The insurance fund as a balance sheet (account 0). backstop.ts decides what the fund takes
// over, at the mark and within its risk limits; this file is what the fund does with it after:
//
//   unwind   every fundUnwindIntervalMs while it holds positions, the fund sends one reduce-only
//            market order per instrument — at most fundUnwindNotionalMax of notional, filling no
//            further than fundUnwindBandRate from mark — into the venue's execution primitive
//            (the book, or the instrument's impact model). The order is a FundUnwind event and
//            its fills are ordinary liquidation-flow Fills (taker 0, no taker fee), caused by it,
//            so they move prices like any liquidation flow and the cascade tree runs through
//            them: takeover → LiquidationDeferred → LiquidationWake → FundUnwind → Fill → … The
//            venue never schedules: the fund asks for its next look with LiquidationDeferred
//            {account: 0}, which the LiquidationClock turns into a LiquidationWake of account 0.
//
//   deficit  after every input, if the fund's equity (cash + positions at mark + collateral at
//            haircut value) is below zero, the shortfall is resolved at once, as events, never
//            carried as silent negative equity (Underwater {account 0} records it first):
//              'adl'        fundShortfall 'write_off' (default): the shortfall is the fund's bad
//                           debt (its owners bear it, as Hyperliquid's HLP depositors do) and it
//                           keeps its positions to unwind them — their flow keeps its price effect;
//                           'deleverage': its positions are auto-deleveraged at its bankruptcy
//                           price (the most profitable opposing traders take them, auto_deleverage.ts),
//                           which moves no price: a thin book then sheds its risk through ADL;
//              'socialized' the shortfall is charged to the holders of the side opposite the
//                           fund's largest position (socialized_loss.ts);
//            what that cannot cover is BadDebt of account 0 (written off: the fund's cash is
//            credited and the venue's bad-debt total grows, so conservation still holds).
//            DeficitResolved {account 0, …} says how much each way.
//
// Non-goals: the unwind does not time the market (no TWAP against a forecast, no pause in a
// crash); one fund for all instruments.

import { BUY, SELL, type BookSide } from '../market/order_book.js'
import type { Venue } from '../venue.js'
import { INSURANCE_FUND_ACCOUNT } from '../venue_config.js'
import type { AutoDeleveraging } from './auto_deleverage.js'
import { DeficitRecorder } from './deficit_record.js'
import type { LiquidationConfig } from './liquidation_config.js'
import { NO_WAKE, type LiquidationState } from './liquidation_state.js'
import type { SocializedLosses } from './socialized_loss.js'

const FUND = INSURANCE_FUND_ACCOUNT

/** The fund's unwinding and its deficit resolution. */
export class InsuranceFund {
  constructor(
    private readonly venue: Venue,
    private readonly config: LiquidationConfig,
    private readonly state: LiquidationState,
    private readonly deleveraging: AutoDeleveraging,
    private readonly socialized: SocializedLosses,
    private readonly deficits: DeficitRecorder,
  ) {}

  /** True if the fund holds a position in any instrument. */
  holdsPositions(): boolean {
    const accounts = this.venue.accounts
    for (let i = 0; i < accounts.instruments; i++) if (accounts.position(FUND, i) !== 0) return true
    return false
  }

  /** Asks for an unwind look at t + interval if the fund holds positions and none is pending (`cause`: what gave it the position). */
  scheduleUnwind(t: number, cause: number): void {
    if (this.config.fundUnwindIntervalMs <= 0 || !this.holdsPositions()) return
    const pending = this.state.wakeDueMs[FUND] as number
    if (pending !== NO_WAKE && pending >= t) return
    const dueMs = t + this.config.fundUnwindIntervalMs
    this.state.wakeDueMs[FUND] = dueMs
    this.venue.emit({ kind: 'LiquidationDeferred', seq: 0, t, cause, account: FUND, dueMs })
  }

  /** LiquidationWake of account 0: one unwind order per instrument held, then the next look. */
  onWake(t: number, cause: number): void {
    const venue = this.venue
    const { margin, accounts } = venue
    let last = cause
    for (let i = 0; i < accounts.instruments; i++) {
      const position = accounts.position(FUND, i)
      const mark = margin.markTicks[i] as number
      if (position === 0 || !(mark > 0)) continue
      const side: BookSide = position > 0 ? SELL : BUY
      const lotValue = mark * (margin.cashPerTickLot[i] as number)
      const lots = Math.min(Math.abs(position), Math.max(1, Math.floor(this.config.fundUnwindNotionalMax / lotValue)))
      const limitTicks = venue.bandPrice(i, side, this.config.fundUnwindBandRate)
      last = venue.emit({
        kind: 'FundUnwind', seq: 0, t, cause, instrument: i, side: side === SELL ? 'sell' : 'buy', lots, limitTicks,
      }).seq
      venue.takeLiquidity(t, last, i, FUND, side, limitTicks, lots, true)
    }
    this.scheduleUnwind(t, last)
  }

  /** Resolves a negative fund equity (per the deficit mode, then bad debt); `cause`: the newest event of the input (what last moved prices or the fund). */
  settleDeficit(t: number, cause: number): void {
    const venue = this.venue
    const { margin, accounts } = venue
    // Runs after every input: without positions and with cash ≥ 0 the fund cannot be below zero
    // (collateral is never worth less than nothing), so the common case reads I + 1 numbers.
    if ((accounts.cash[FUND] as number) >= 0 && !this.holdsPositions()) return
    const before = margin.equity(accounts, FUND)
    if (!(before < 0)) return
    const record = this.deficits.open(t, this.deficits.underwater(t, cause, FUND), FUND)
    if (this.config.deficitMode === 'adl' && this.config.fundShortfall === 'deleverage') {
      for (let i = 0; i < accounts.instruments && margin.equity(accounts, FUND) < 0; i++) {
        const lots = Math.abs(accounts.position(FUND, i))
        if (lots > 0) this.deleveraging.run(t, record.cause, FUND, i, lots)
      }
      record.adl = DeficitRecorder.adlAbsorbed(before, margin.equity(accounts, FUND))
    } else if (this.config.deficitMode === 'socialized') {
      const i = this.largestPosition()
      if (i >= 0) {
        const sign = accounts.position(FUND, i) > 0 ? 1 : -1
        const shortfall = Math.ceil(-margin.equity(accounts, FUND))
        record.socialized = shortfall - this.socialized.run(t, record.cause, FUND, i, -sign, shortfall)
      }
    }
    const left = Math.ceil(-margin.equity(accounts, FUND))
    if (left > 0) record.badDebt = this.deficits.writeOff(t, record.cause, FUND, left)
    this.deficits.close(record)
  }

  /** The instrument of the fund's largest position by notional (lowest index on ties), or -1. */
  private largestPosition(): number {
    const { margin, accounts } = this.venue
    let best = -1
    let bestNotional = 0
    for (let i = 0; i < accounts.instruments; i++) {
      const notional = margin.notional(accounts, FUND, i)
      if (notional > bestNotional) {
        best = i
        bestNotional = notional
      }
    }
    return best
  }
}
