// The liquidation engine: decides which accounts to liquidate and carries the liquidation out.
//
// Trigger: after a price change every account is checked (in account order); after fills and
// transfers, the accounts they touched are checked, repeatedly until no new liquidation happens
// (bounded by cascadeRoundsMax). An account is liquidated when equity < maintenance margin, or
// when it is flat with negative equity (a deficit left by its own trading). Each store account is
// one pool: a cross account is liquidated as a whole, an isolated compartment (one position) or a
// sub-account on its own — a compartment's deficit never reaches its parent.
//
// Procedure (full liquidation): cancel the account's resting orders; close each position with a
// market order into the book bounded by the liquidation band around mark; the backstop (the
// insurance fund's account) takes any remainder at the mark price; charge the penalty into the
// fund, never more than the account has left in cash; cover a remaining deficit with the
// account's non-cash collateral (seized by the fund at its haircut value), then from the fund's
// equity; book what the fund cannot pay as bad debt. Every outcome names the Liquidation event
// as cause. Partial liquidation, liquidator agents and ADL would slot in as further steps of
// `liquidate` (closing) and `settleDeficit` (loss allocation).

import { fail } from '../assert.js'
import type { OutcomeEvent } from '../events.js'
import { BUY, SELL, type BookSide } from '../market/order_book.js'
import type { Venue } from '../venue.js'
import { INSURANCE_FUND_ACCOUNT } from '../venue_config.js'

const ascending = (x: number, y: number): number => x - y

/** Liquidation trigger and procedure for one venue. */
export class LiquidationEngine {
  // Accounts whose equity a fill changed, re-checked before apply() returns (two arrays, swapped).
  private touched: number[] = []
  private checking: number[] = []

  constructor(private readonly venue: Venue) {}

  /** Queues account `a` for a health check before the current input completes. */
  touch(a: number): void {
    this.touched.push(a)
  }

  /** Liquidates every account below maintenance after a mark change (`cause` = the MarkPrice seq). */
  onMarkChange(t: number, cause: number): void {
    const venue = this.venue
    const count = venue.accounts.count
    for (let a = 0; a < count; a++) {
      if (a !== INSURANCE_FUND_ACCOUNT && venue.margin.isLiquidatable(venue.accounts, a)) this.liquidate(t, cause, a)
    }
  }

  /** Re-checks accounts touched by fills (counterparties of takers and liquidations), bounded. */
  settleTouched(): void {
    const venue = this.venue
    let rounds = 0
    while (this.touched.length > 0) {
      if (++rounds > venue.config.cascadeRoundsMax) fail(`venue: more than ${venue.config.cascadeRoundsMax} liquidation rounds`)
      const batch = this.touched
      this.touched = this.checking
      this.checking = batch
      batch.sort(ascending)
      for (let k = 0; k < batch.length; k++) {
        const a = batch[k] as number
        if (k > 0 && a === batch[k - 1]) continue
        if (a !== INSURANCE_FUND_ACCOUNT && venue.margin.isLiquidatable(venue.accounts, a)) {
          this.liquidate(venue.lastT, this.lastFillSeqOf(a), a)
        }
      }
      batch.length = 0
    }
  }

  /** Seq of the newest outcome that involved account `a` (the cause of a fill-triggered liquidation). */
  private lastFillSeqOf(a: number): number {
    const outbox = this.venue.outbox
    for (let k = outbox.length - 1; k >= 0; k--) {
      const e = outbox[k] as OutcomeEvent
      if (e.kind === 'Fill' && (e.taker === a || e.maker === a)) return e.seq
    }
    return this.venue.nextSeq - 1
  }

  /** Closes every position of account `a`, then settles penalty, fund payout and bad debt. */
  private liquidate(t: number, cause: number, a: number): void {
    const venue = this.venue
    const store = venue.accounts
    const event = venue.emit({
      kind: 'Liquidation', seq: 0, t, cause, account: a,
      equity: venue.margin.equity(store, a), maintenanceMargin: venue.margin.maintenanceMargin(store, a),
    })
    const step = event.seq
    venue.cancelAllOrders(t, step, a)
    let penaltyDue = 0
    for (let i = 0; i < venue.books.length; i++) {
      const position = store.position(a, i)
      if (position === 0) continue
      const instrument = venue.config.instruments[i]!
      penaltyDue += venue.margin.notional(store, a, i) * instrument.liquidationPenaltyRate
      const side: BookSide = position > 0 ? SELL : BUY
      const limit = venue.bandPrice(i, side, instrument.liquidationBandRate)
      const remaining = venue.takeLiquidity(t, step, i, a, side, limit, Math.abs(position), true)
      if (remaining > 0) this.backstopTakeover(t, step, a, i, side, remaining)
    }
    this.settleDeficit(t, step, a, Math.floor(penaltyDue))
  }

  /** The insurance fund account takes `lots` of account `a`'s closing trade at the mark price. */
  private backstopTakeover(t: number, cause: number, a: number, i: number, side: BookSide, lots: number): void {
    const venue = this.venue
    const mark = venue.margin.markTicks[i] as number
    const cpt = venue.margin.cashPerTickLot[i] as number
    const signed = side === BUY ? lots : -lots
    venue.accounts.trade(a, i, signed, mark, cpt)
    venue.accounts.trade(INSURANCE_FUND_ACCOUNT, i, -signed, mark, cpt)
    venue.emit({
      kind: 'BackstopTakeover', seq: 0, t, cause, account: a, instrument: i,
      side: side === BUY ? 'buy' : 'sell', priceTicks: mark, lots,
    })
  }

  /** Penalty into the fund (never beyond the account's remaining equity), then fund payout or bad debt. */
  private settleDeficit(t: number, cause: number, a: number, penaltyDue: number): void {
    const venue = this.venue
    const cash = venue.accounts.cash
    const penalty = Math.min(penaltyDue, Math.max(0, cash[a] as number))
    if (penalty > 0) {
      venue.transfer(a, INSURANCE_FUND_ACCOUNT, penalty)
      venue.emit({ kind: 'LiquidationPenalty', seq: 0, t, cause, account: a, amount: penalty })
    }
    if ((cash[a] as number) < 0) this.seizeCollateral(t, cause, a)
    const deficit = -(cash[a] as number)
    if (deficit <= 0) return
    // The fund pays from its equity (its cash may be spent on positions it took over as backstop).
    const fundEquity = venue.margin.equity(venue.accounts, INSURANCE_FUND_ACCOUNT)
    const payout = Math.min(deficit, Math.max(0, Math.floor(fundEquity)))
    if (payout > 0) {
      venue.transfer(INSURANCE_FUND_ACCOUNT, a, payout)
      venue.emit({ kind: 'FundPayout', seq: 0, t, cause, account: a, amount: payout })
    }
    const unpaid = deficit - payout
    if (unpaid > 0) {
      cash[a] = 0
      venue.badDebtTotal += unpaid
      venue.emit({ kind: 'BadDebt', seq: 0, t, cause, account: a, amount: unpaid })
    }
  }

  /**
   * Covers account `a`'s negative cash with its non-cash collateral, asset by asset: the fund takes
   * just enough units (all of them if their value does not cover the deficit) and credits their
   * haircut value, floored to cash units. Per-asset balances and cash both stay conserved.
   */
  private seizeCollateral(t: number, cause: number, a: number): void {
    const venue = this.venue
    const store = venue.accounts
    const margin = venue.margin
    for (let k = 1; k < margin.assets && (store.cash[a] as number) < 0; k++) {
      const held = store.balance(a, k)
      if (held <= 0) continue
      const deficit = -(store.cash[a] as number)
      const valueAll = margin.collateralValueOf(k, held)
      let units = held
      if (valueAll > deficit) units = Math.min(held, Math.ceil(deficit / (valueAll / held)))
      const amount = Math.floor(margin.collateralValueOf(k, held) - margin.collateralValueOf(k, held - units))
      if (amount <= 0) continue // worthless as collateral (haircut 1): nothing to gain
      store.credit(a, k, -units)
      store.credit(INSURANCE_FUND_ACCOUNT, k, units)
      venue.transfer(INSURANCE_FUND_ACCOUNT, a, amount)
      venue.emit({ kind: 'CollateralSeized', seq: 0, t, cause, account: a, asset: k, units, amount })
    }
  }
}
