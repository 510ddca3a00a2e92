// What to do with one account: the liquidation procedure, given an account that may be below
// maintenance. (Which accounts to look at is liquidation_engine.ts's business.)
//
// Decision, from health h = equity / maintenance margin:
//   h ≥ 1, or the account is in an auction            nothing
//   within liquidationDelayMs of the episode's start  wait: ask for a LiquidationWake at its end
//   h < fullBelowHealth (or flat with a deficit)      a full step now
//   otherwise, before the rate-limit interval ends    wait: ask for a LiquidationWake at the end
//   otherwise                                         a partial step now
//
// An account reached with equity < 0 (past its bankruptcy price: gap risk) is recorded once per
// episode as Underwater before its step; the deficit's resolution is DeficitResolved
// (deficit_record.ts): by ADL here, by seizure, fund, socialised loss or bad debt in
// deficit_settlement.ts.
//
// A step (Liquidation event, its cause the price change or fill behind it) cancels the account's
// orders, then closes lots position by position (cross pools: largest notional first, or
// riskiest — highest maintenance rate — first):
//   partial: just enough of the first position to restore the target health (partial_close.ts),
//            capped per step; the next position only if the whole first one closed short of it;
//   full:    everything.
// Each close goes first to the book as a market order within the curve's band (tightened to the
// bankruptcy price in 'adl' mode once the fund is exhausted, as Binance places liquidation orders
// at the bankruptcy price); the remainder to a liquidator auction (when auctions are on and the
// account still has equity), else straight to the backstop; in a full step what the backstop
// cannot take is auto-deleveraged. Then the penalty on the closed notional, and for an account
// left flat below zero the deficit settlement. A partial step that could close nothing escalates
// to a full one; follow-up steps (after the interval or an auction) repeat the decision.

import { fail } from '../assert.js'
import type { LiquidationMode, LiquidatorBid, BidRejectReason } from '../events.js'
import { bankruptcyPriceTicks } from '../margin/liquidation_price.js'
import { BUY, SELL, type BookSide } from '../market/order_book.js'
import type { Venue } from '../venue.js'
import { INSURANCE_FUND_ACCOUNT } from '../venue_config.js'
import type { AutoDeleveraging } from './auto_deleverage.js'
import type { Backstop } from './backstop.js'
import { DeficitRecorder } from './deficit_record.js'
import type { DeficitSettlement } from './deficit_settlement.js'
import type { LiquidationConfig, LiquidationCurves } from './liquidation_config.js'
import { chargePenalty, NO_LIQUIDATOR } from './liquidation_penalty.js'
import { NO_EPISODE, NO_WAKE, type LiquidationState } from './liquidation_state.js'
import type { LiquidatorAuctions, OpenAuction } from './liquidator_auction.js'
import { lotsToTargetHealth, stepLotsMax } from './partial_close.js'

const NOTHING = 0
const WAIT = 1
const PARTIAL = 2
const FULL = 3
type Decision = typeof NOTHING | typeof WAIT | typeof PARTIAL | typeof FULL

/** The parts of the liquidation machinery one account's procedure uses. */
export interface LiquidationParts {
  config: LiquidationConfig
  curves: LiquidationCurves
  state: LiquidationState
  auctions: LiquidatorAuctions
  backstop: Backstop
  deleveraging: AutoDeleveraging
  deficits: DeficitSettlement
  recorder: DeficitRecorder
  touch: (account: number) => void
}

/** The liquidation procedure for one account at a time. */
export class AccountLiquidation {
  private readonly order: number[] = []
  private auctionOpened = false
  private equity = 0

  constructor(private readonly venue: Venue, private readonly parts: LiquidationParts) {}

  /** Examines account `a` at `t` and liquidates it as far as the rules allow now; `cause` = what prompted the look. */
  examine(t: number, cause: number, a: number): void {
    const { state } = this.parts
    const roundsMax = this.venue.config.cascadeRoundsMax
    for (let round = 0; ; round++) {
      if (round > roundsMax) fail(`liquidation: account ${a} took more than ${roundsMax} steps in one input`)
      const decision = this.decide(t, a)
      if (decision === NOTHING) {
        if (this.parts.auctions.countOf(a) === 0) this.endEpisode(a)
        return
      }
      if (state.episodeCause[a] === NO_EPISODE) {
        state.episodeCause[a] = cause
        state.readyMs[a] = t + this.parts.config.liquidationDelayMs
      }
      if (t < (state.readyMs[a] as number)) {
        this.requestWake(t, cause, a, state.readyMs[a] as number)
        return
      }
      if (this.equity < 0 && state.underwater[a] === 0) {
        state.underwater[a] = 1
        this.parts.recorder.underwater(t, cause, a)
      }
      if (decision === WAIT) {
        this.requestWake(t, cause, a, state.nextStepMs[a] as number)
        return
      }
      const progress = this.step(t, cause, a, decision === FULL ? 'full' : 'partial')
      if (!progress && decision === PARTIAL) this.step(t, cause, a, 'full')
    }
  }

  /** Ends a's episode: timers and the underwater mark are reset. */
  private endEpisode(a: number): void {
    const state = this.parts.state
    state.episodeCause[a] = NO_EPISODE
    state.readyMs[a] = 0
    state.underwater[a] = 0
  }

  /** The decision for account `a` at `t`; leaves a's equity in `this.equity`. */
  private decide(t: number, a: number): Decision {
    if (a === INSURANCE_FUND_ACCOUNT || this.parts.auctions.countOf(a) > 0) return NOTHING
    const { margin, accounts } = this.venue
    const equity = margin.equity(accounts, a)
    this.equity = equity
    const maintenance = margin.maintenanceMargin(accounts, a)
    if (!(equity < maintenance)) return NOTHING
    if (maintenance === 0 || equity < this.parts.config.fullBelowHealth * maintenance) return FULL
    return t < (this.parts.state.nextStepMs[a] as number) ? WAIT : PARTIAL
  }

  /** One step; returns true if it closed something or opened an auction. */
  private step(t: number, cause: number, a: number, mode: LiquidationMode): boolean {
    const venue = this.venue
    const { margin, accounts } = venue
    const { config, curves } = this.parts
    const step = venue.emit({
      kind: 'Liquidation', seq: 0, t, cause, account: a,
      equity: margin.equity(accounts, a), maintenanceMargin: margin.maintenanceMargin(accounts, a), mode,
    }).seq
    venue.cancelAllOrders(t, step, a)
    this.parts.state.nextStepMs[a] = t + config.stepIntervalMs
    this.auctionOpened = false
    let closedAny = false
    let penaltyDue = 0
    let lastInstrument = -1
    let lastSign = 0
    for (const i of this.positionsInOrder(a)) {
      const position = accounts.position(a, i)
      const lots = Math.abs(position)
      const lotValue = (margin.markTicks[i] as number) * (margin.cashPerTickLot[i] as number)
      const notional = lots * lotValue
      const penaltyRate = curves.penaltyRate(i, notional)
      let closing = lots
      if (mode === 'partial') {
        const needed = lotsToTargetHealth(margin, accounts, a, i, curves.targetHealth(i, notional), penaltyRate)
        if (needed === 0) break
        closing = Math.min(needed, stepLotsMax(lots, lotValue, curves.stepShareMax(i, notional), curves.stepNotionalMax(i, notional)))
      }
      const closed = this.close(t, step, a, i, closing, mode === 'full', penaltyRate, curves.bandRate(i, notional))
      penaltyDue += closed * lotValue * penaltyRate
      closedAny ||= closed > 0
      lastInstrument = i
      lastSign = position > 0 ? 1 : -1
      if (mode === 'partial' && (closing < lots || this.auctionOpened)) break
    }
    chargePenalty(venue, t, step, a, Math.floor(penaltyDue), NO_LIQUIDATOR, 0)
    this.settleIfFlat(t, step, a, lastInstrument, lastSign)
    return closedAny || this.auctionOpened
  }

  /** Closes `lots` of a's position in `i`: book, then auction or backstop (and ADL in a full step); returns lots closed now. */
  private close(t: number, cause: number, a: number, i: number, lots: number, full: boolean, penaltyRate: number, bandRate: number): number {
    const venue = this.venue
    const side: BookSide = venue.accounts.position(a, i) > 0 ? SELL : BUY
    const remaining = venue.takeLiquidity(t, cause, i, a, side, this.bookLimit(a, i, side, bandRate), lots, true)
    if (remaining === 0) return lots
    const { config } = this.parts
    if (config.auctionMs > 0 && venue.margin.equity(venue.accounts, a) > 0) {
      this.openAuction(t, cause, a, i, side, remaining, full, penaltyRate)
      return lots - remaining
    }
    return lots - remaining + this.handOver(t, cause, a, i, side, remaining, full)
  }

  /** The worst price a liquidation order may fill at: the band, or the bankruptcy price if nearer and the fund is exhausted ('adl'). */
  private bookLimit(a: number, i: number, side: BookSide, bandRate: number): number {
    const venue = this.venue
    const band = venue.bandPrice(i, side, bandRate)
    if (this.parts.config.deficitMode !== 'adl' || !this.parts.backstop.exhausted()) return band
    const bankruptcy = bankruptcyPriceTicks(venue.margin, venue.accounts, a, i)
    if (Number.isNaN(bankruptcy)) return side === SELL ? band : 0 // a short bankrupt at any price: no fill is good enough
    return side === SELL ? Math.max(band, Math.ceil(bankruptcy)) : Math.min(band, Math.floor(bankruptcy))
  }

  /** Backstop, then (full steps) auto-deleveraging; returns the lots taken. */
  private handOver(t: number, cause: number, a: number, i: number, side: BookSide, lots: number, full: boolean): number {
    const taken = this.parts.backstop.take(t, cause, a, i, side, lots)
    const rest = lots - taken
    if (rest === 0 || !full) return taken
    const { margin, accounts } = this.venue
    const before = margin.equity(accounts, a)
    this.parts.deleveraging.run(t, cause, a, i, rest)
    if (before < 0) {
      // ADL at the bankruptcy price absorbed (part of) the deficit: the rise in a's equity
      const record = this.parts.recorder.open(t, cause, a)
      record.adl = DeficitRecorder.adlAbsorbed(before, margin.equity(accounts, a))
      this.parts.recorder.close(record)
    }
    return lots
  }

  private openAuction(t: number, cause: number, a: number, i: number, side: BookSide, lots: number, full: boolean, penaltyRate: number): void {
    const venue = this.venue
    const { config, auctions } = this.parts
    const endsMs = t + config.auctionMs
    const event = venue.emit({
      kind: 'LiquidationAuction', seq: 0, t, cause, account: a, instrument: i, side: side === SELL ? 'buy' : 'sell',
      lots, markTicks: venue.margin.markTicks[i] as number, rewardRate: penaltyRate * config.liquidatorPenaltyShare, endsMs,
    })
    auctions.add({ id: event.seq, account: a, instrument: i, side, lotsLeft: lots, endsMs, full, penaltyRate })
    this.auctionOpened = true
    this.requestWake(t, cause, a, endsMs)
  }

  /**
   * Hands what is left of `a`'s ended auctions to the backstop (and ADL), with the fund's penalty.
   * Those outcomes name the auction (whose cause is the step that opened it) as their cause, not
   * the wake that ended it: the wake may be an earlier rate-limit wake-up whose chain does not pass
   * through the step, and the cascade tree must attribute the remainder to the step.
   */
  closeEndedAuctions(t: number, cause: number, a: number): void {
    const venue = this.venue
    const { auctions } = this.parts
    for (const auction of auctions.endedFor(a, t)) {
      auctions.remove(auction)
      const lots = Math.min(auction.lotsLeft, this.closable(a, auction))
      if (lots === 0) continue
      const i = auction.instrument
      const taken = this.handOver(t, auction.id, a, i, auction.side, lots, auction.full)
      const lotValue = (venue.margin.markTicks[i] as number) * (venue.margin.cashPerTickLot[i] as number)
      chargePenalty(venue, t, auction.id, a, Math.floor(taken * lotValue * auction.penaltyRate), NO_LIQUIDATOR, 0)
      this.settleIfFlat(t, auction.id, a, i, auction.side === SELL ? 1 : -1)
    }
    // An earlier wake-up (the rate limit) may have been pending when an auction opened: make sure
    // one comes at the end of the auctions still open.
    let nextEnd = Infinity
    for (const auction of auctions.open) if (auction.account === a && auction.endsMs < nextEnd) nextEnd = auction.endsMs
    if (nextEnd !== Infinity) this.requestWake(t, cause, a, nextEnd)
  }

  /** Applies a LiquidatorBid: the first valid bid with the capital takes its lots at mark. */
  bid(input: LiquidatorBid): void {
    const venue = this.venue
    const { auctions, config } = this.parts
    const auction = auctions.find(input.auction)
    const reason = this.bidRejectReason(input, auction)
    if (reason !== null || auction === undefined) {
      venue.emit({
        kind: 'LiquidatorBidRejected', seq: 0, t: input.t, cause: input.seq, account: input.account,
        auction: input.auction, reason: reason ?? 'auction_closed',
      })
      return
    }
    const { t, account: liquidator } = input
    const a = auction.account
    const i = auction.instrument
    const lots = Math.min(input.lots, auction.lotsLeft, this.closable(a, auction))
    const mark = venue.margin.markTicks[i] as number
    const cpt = venue.margin.cashPerTickLot[i] as number
    const signed = auction.side === BUY ? lots : -lots
    venue.accounts.trade(a, i, signed, mark, cpt)
    venue.accounts.trade(liquidator, i, -signed, mark, cpt)
    venue.emit({
      kind: 'LiquidatorTakeover', seq: 0, t, cause: input.seq, account: a, liquidator, auction: auction.id, instrument: i,
      side: auction.side === SELL ? 'buy' : 'sell', priceTicks: mark, lots,
    })
    chargePenalty(venue, t, input.seq, a, Math.floor(lots * mark * cpt * auction.penaltyRate), liquidator, config.liquidatorPenaltyShare)
    this.parts.touch(liquidator)
    auction.lotsLeft -= lots
    if (auction.lotsLeft > 0 && this.closable(a, auction) > 0) return
    auctions.remove(auction)
    this.settleIfFlat(t, input.seq, a, i, auction.side === SELL ? 1 : -1)
    if (auctions.countOf(a) === 0) this.examine(t, this.episodeCauseOr(a, input.seq), a)
  }

  private bidRejectReason(input: LiquidatorBid, auction: OpenAuction | undefined): BidRejectReason | null {
    const venue = this.venue
    if (auction === undefined || input.t >= auction.endsMs || this.closable(auction.account, auction) === 0) return 'auction_closed'
    const liquidator = input.account
    if (!venue.isAccount(liquidator) || liquidator === INSURANCE_FUND_ACCOUNT || liquidator === auction.account) return 'unknown_account'
    if (!(Number.isInteger(input.lots) && input.lots > 0)) return 'bad_size'
    const i = auction.instrument
    if (!venue.mayHold(liquidator, i)) return 'instrument_not_allowed'
    const { margin, accounts } = venue
    const lots = Math.min(input.lots, auction.lotsLeft, this.closable(auction.account, auction))
    const lotValue = (margin.markTicks[i] as number) * (margin.cashPerTickLot[i] as number)
    const position = accounts.position(liquidator, i)
    const after = position + (auction.side === BUY ? -lots : lots)
    const initialAfter = margin.initialMargin(accounts, liquidator)
      - margin.requirements.initial(i, Math.abs(position) * lotValue) + margin.requirements.initial(i, Math.abs(after) * lotValue)
    return margin.equity(accounts, liquidator) < initialAfter ? 'insufficient_margin' : null
  }

  /** Lots of `a`'s position an auction can still close (its position may have shrunk meanwhile). */
  private closable(a: number, auction: OpenAuction): number {
    const position = this.venue.accounts.position(a, auction.instrument)
    return auction.side === SELL ? Math.max(0, position) : Math.max(0, -position)
  }

  /** The episode's cause, or `fallback` when no episode is running. */
  episodeCauseOr(a: number, fallback: number): number {
    const cause = this.parts.state.episodeCause[a] as number
    return cause === NO_EPISODE ? fallback : cause
  }

  /** Settles a's deficit once it holds no position and no auction (`i` = -1: no bankrupt position to socialise over). */
  private settleIfFlat(t: number, cause: number, a: number, i: number, sign: number): void {
    const accounts = this.venue.accounts
    for (let j = 0; j < accounts.instruments; j++) if (accounts.position(a, j) !== 0) return
    if (this.parts.auctions.countOf(a) > 0) return
    if ((accounts.cash[a] as number) < 0) this.parts.deficits.settle(t, cause, a, i, sign)
  }

  /** Asks for a LiquidationWake of `a` at `dueMs` unless one at or before it is already pending. */
  private requestWake(t: number, cause: number, a: number, dueMs: number): void {
    const state = this.parts.state
    const pending = state.wakeDueMs[a] as number
    if (pending !== NO_WAKE && pending >= t && pending <= dueMs) return
    state.wakeDueMs[a] = dueMs
    this.venue.emit({ kind: 'LiquidationDeferred', seq: 0, t, cause, account: a, dueMs })
  }

  /** Instruments a holds, in closing order: largest notional first, or riskiest (highest maintenance rate) first. */
  private positionsInOrder(a: number): readonly number[] {
    const { margin, accounts } = this.venue
    const order = this.order
    order.length = 0
    for (let i = 0; i < accounts.instruments; i++) if (accounts.position(a, i) !== 0) order.push(i)
    if (order.length < 2) return order
    const riskiest = this.parts.config.crossOrder === 'riskiest'
    const key = (i: number): number => {
      const notional = margin.notional(accounts, a, i)
      return riskiest ? margin.requirements.maintenance(i, notional) / notional : notional
    }
    order.sort((x, y) => key(y) - key(x) || margin.notional(accounts, a, y) - margin.notional(accounts, a, x) || x - y)
    return order
  }
}
