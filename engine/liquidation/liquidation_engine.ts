// The liquidation engine: decides which accounts to look at, and routes the liquidation inputs.
// What happens to one account is account_liquidation.ts's business, so the "which accounts"
// part can be replaced (an index of the accounts a price change can affect) without touching it.
//
// Which accounts, and with what cause:
//   - after a mark-price change: every account below maintenance or in an open episode, in
//     account order, cause = the MarkPrice (or the OraclePrice when only collateral moved). The
//     liquidation index (risk/liquidation_index.ts) finds them by looking only at accounts whose
//     safe band the prices left, that changed, or that it watches — the set a full scan would
//     find at that moment; each is checked again when its turn comes, as earlier examinations
//     may have changed it;
//   - after fills, transfers, ADL reductions and socialised losses: the accounts they touched,
//     repeatedly until no new step happens (bounded by cascadeRoundsMax), cause = the newest
//     outcome that involved the account;
//   - a LiquidationWake input (sent by LiquidationClock when the venue asked for it: the end of
//     a rate-limit interval or of an auction): that account, cause = its episode's first cause;
//   - a LiquidatorBid input: the auctioned account.
// A LiquidationWake of account 0 is the insurance fund's next unwind (insurance_fund.ts); after
// every input, once no touched account is left to check, a negative fund equity is resolved.
//
// The parts: liquidation_config.ts (rules, curves), partial_close.ts (how much), backstop.ts,
// liquidator_auction.ts, auto_deleverage.ts, liquidation_penalty.ts, deficit_settlement.ts,
// socialized_loss.ts, liquidation_state.ts (timers and episodes), liquidation_clock.ts (the
// driver that turns LiquidationDeferred outcomes into LiquidationWake inputs).

import type { Hash } from 'node:crypto'
import { fail } from '../assert.js'
import type { LiquidationWake, LiquidatorBid, OutcomeEvent } from '../events.js'
import type { Venue } from '../venue.js'
import { INSURANCE_FUND_ACCOUNT } from '../venue_config.js'
import { AccountLiquidation } from './account_liquidation.js'
import { AutoDeleveraging } from './auto_deleverage.js'
import { Backstop } from './backstop.js'
import { DeficitRecorder } from './deficit_record.js'
import { DeficitSettlement } from './deficit_settlement.js'
import { InsuranceFund } from './insurance_fund.js'
import { checkLiquidationConfig, defaultLiquidationConfig, LiquidationCurves, type LiquidationConfig } from './liquidation_config.js'
import { LiquidationState, NO_EPISODE, NO_WAKE } from './liquidation_state.js'
import { LiquidatorAuctions } from './liquidator_auction.js'
import { SocializedLosses } from './socialized_loss.js'
import { LiquidationIndex } from '../risk/liquidation_index.js'

const ascending = (x: number, y: number): number => x - y

/** Liquidation trigger and input routing for one venue. */
export class LiquidationEngine {
  readonly config: LiquidationConfig
  readonly state = new LiquidationState()
  readonly auctions = new LiquidatorAuctions()
  readonly backstop: Backstop
  readonly fund: InsuranceFund
  readonly procedure: AccountLiquidation
  // Accounts whose equity an outcome changed, re-checked before apply() returns (two arrays, swapped).
  private touched: number[] = []
  private checking: number[] = []
  /** Accounts below maintenance or in an episode, found after a mark change. */
  readonly index: LiquidationIndex
  private readonly candidates: number[] = []
  private readonly watching = (a: number): boolean => this.state.episodeCause[a] !== NO_EPISODE

  constructor(private readonly venue: Venue) {
    this.config = venue.config.liquidation ?? defaultLiquidationConfig(venue.config.instruments)
    checkLiquidationConfig(this.config, venue.config.instruments.length)
    const touch = (a: number): void => this.touch(a)
    this.backstop = new Backstop(venue, this.config)
    this.index = new LiquidationIndex(venue.accounts, venue.margin, venue.riskEvaluator)
    const socialized = new SocializedLosses(venue, touch)
    const deleveraging = new AutoDeleveraging(venue, touch)
    const recorder = new DeficitRecorder(venue)
    this.fund = new InsuranceFund(venue, this.config, this.state, deleveraging, socialized, recorder)
    this.backstop.onTake = (t, cause) => this.fund.scheduleUnwind(t, cause)
    this.procedure = new AccountLiquidation(venue, {
      config: this.config, curves: new LiquidationCurves(this.config.curves), state: this.state, auctions: this.auctions,
      backstop: this.backstop, deleveraging, recorder,
      deficits: new DeficitSettlement(venue, this.config.deficitMode, this.backstop, socialized, recorder), touch,
    })
  }

  /** Queues account `a` for a health check before the current input completes. */
  touch(a: number): void {
    this.touched.push(a)
  }

  /** Examines every account below maintenance after a mark change (`cause` = the MarkPrice seq); ends the episodes of recovered ones. */
  onMarkChange(t: number, cause: number): void {
    const venue = this.venue
    this.state.ensure(venue.accounts.count)
    const episodes = this.state.episodeCause
    const candidates = this.candidates
    this.index.collect(candidates, this.watching)
    for (let k = 0; k < candidates.length; k++) {
      const a = candidates[k] as number
      if (a === INSURANCE_FUND_ACCOUNT) continue
      if (venue.margin.isLiquidatable(venue.accounts, a)) this.procedure.examine(t, cause, a)
      else if (episodes[a] !== NO_EPISODE) this.procedure.examine(t, cause, a) // healthy again: ends the episode
    }
  }

  /** Re-checks accounts touched by outcomes (counterparties of takers, liquidations and ADL), bounded. */
  settleTouched(): void {
    const venue = this.venue
    let rounds = 0
    this.state.ensure(venue.accounts.count)
    this.fund.settleDeficit(venue.lastT, venue.nextSeq - 1)
    while (this.touched.length > 0) {
      if (++rounds > venue.config.cascadeRoundsMax) fail(`venue: more than ${venue.config.cascadeRoundsMax} liquidation rounds`)
      this.state.ensure(venue.accounts.count)
      const batch = this.touched
      this.touched = this.checking
      this.checking = batch
      batch.sort(ascending)
      for (let k = 0; k < batch.length; k++) {
        const a = batch[k] as number
        if (k > 0 && a === batch[k - 1]) continue
        if (a === INSURANCE_FUND_ACCOUNT) continue
        if (venue.margin.isLiquidatable(venue.accounts, a) || this.state.episodeCause[a] !== NO_EPISODE) {
          this.procedure.examine(venue.lastT, this.lastSeqInvolving(a), a)
        }
      }
      batch.length = 0
      this.fund.settleDeficit(venue.lastT, venue.nextSeq - 1) // deleveraging the fund touches its counterparties: another round
    }
  }

  /** LiquidationWake: ends the account's due auctions, then examines it again. */
  onWake(input: LiquidationWake): void {
    const a = input.account
    if (!this.venue.isAccount(a)) fail(`liquidation: wake of unknown account ${a}`)
    this.state.ensure(this.venue.accounts.count)
    const due = this.state.wakeDueMs[a] as number
    if (due !== NO_WAKE && due <= input.t) this.state.wakeDueMs[a] = NO_WAKE
    if (a === INSURANCE_FUND_ACCOUNT) {
      this.fund.onWake(input.t, input.seq)
      return
    }
    this.procedure.closeEndedAuctions(input.t, input.seq, a)
    this.procedure.examine(input.t, this.procedure.episodeCauseOr(a, input.seq), a)
  }

  /** LiquidatorBid: a liquidator's offer for an open auction. */
  onBid(input: LiquidatorBid): void {
    this.state.ensure(this.venue.accounts.count)
    this.procedure.bid(input)
  }

  /** True while account `a` has an open auction (its negative equity, if any, is not yet resolved). */
  inAuction(a: number): boolean {
    return this.auctions.countOf(a) > 0
  }

  /** Adds the liquidation state (timers, episodes, open auctions) to a state digest. */
  digest(hash: Hash): void {
    const count = this.venue.accounts.count
    this.state.ensure(count)
    this.state.digest(hash, count)
    this.auctions.digest(hash)
  }

  /** Seq of the newest outcome of this input that involved account `a` (the cause of a knock-on liquidation). */
  private lastSeqInvolving(a: number): number {
    const outbox = this.venue.outbox
    for (let k = outbox.length - 1; k >= 0; k--) {
      if (involves(outbox[k] as OutcomeEvent, a)) return (outbox[k] as OutcomeEvent).seq
    }
    return this.venue.nextSeq - 1
  }
}

/** True if outcome `e` changed account `a`'s equity as a counterparty. */
function involves(e: OutcomeEvent, a: number): boolean {
  switch (e.kind) {
    case 'Fill':
      return e.taker === a || e.maker === a
    case 'AutoDeleverage':
    case 'SocializedLoss':
      return e.account === a
    case 'LiquidatorTakeover':
      return e.liquidator === a
    default:
      return false
  }
}
