// Liquidator auctions and the penalty split, hand-computed on the crafted venue (1 lot·tick = 1
// cash unit, maintenance 10%, initial 20%, penalty 5%, no fees), every step full, auctions of
// 100 ms, liquidators paid 40% of the penalty. The long L (10 @ 100, cash −850) meets mark 94
// with no bids: equity 90 < 94, so its 10 lots are auctioned at 94 with reward rate 5%·40% = 2%.
// The agent-level race (latency, capital) is in liquidator.test.ts.

import { describe, expect, it } from 'vitest'
import {
  blockTrade, deposit, liquidationWake, liquidatorBid, openAccount, oraclePrice, placeOrder, type VenueEvent,
} from '../../engine/events.js'
import { checkInvariants, checkNoNegativeEquity } from '../../engine/invariants.js'
import { applyAll, craftedVenueConfig, Venue } from '../helpers/small_world.js'

const FUND = 0
const L = 1
const SHORT = 2
const POOR = 3
const RICH = 4
const RICH2 = 5
const TEST = 1

function auctioned() {
  const venue = new Venue(craftedVenueConfig({}, { fullBelowHealth: 1, auctionMs: 100, liquidatorPenaltyShare: 0.4 }))
  venue.afterEvent = () => {
    const problem = checkInvariants(venue, true)
    if (problem) throw new Error(problem)
  }
  applyAll(venue, [
    openAccount(0, FUND), deposit(0, FUND, 1000), openAccount(0, L), deposit(0, L, 150),
    openAccount(0, SHORT), deposit(0, SHORT, 10_000), openAccount(0, POOR), deposit(0, POOR, 50),
    openAccount(0, RICH), deposit(0, RICH, 1000), openAccount(0, RICH2), deposit(0, RICH2, 1000),
    oraclePrice(0, TEST, 100, -1), blockTrade(0, 0, L, SHORT, 100, 10),
  ])
  const events = applyAll(venue, [oraclePrice(2, TEST, 94, -1)])
  const auction = events.find((e) => e.kind === 'LiquidationAuction')!
  return { venue, events, auction }
}

const strip = (events: VenueEvent[]) => events.map((e) => {
  const { seq: _s, t: _t, cause: _c, ...rest } = e as VenueEvent & Record<string, unknown>
  return rest
})

describe('liquidator auctions', () => {
  it('offers what the book did not take, and asks to be woken when the auction ends', () => {
    const { venue, events, auction } = auctioned()
    expect(strip(events.slice(2))).toEqual([
      { kind: 'Liquidation', account: L, equity: 90, maintenanceMargin: 94, mode: 'full' },
      { kind: 'LiquidationAuction', account: L, instrument: 0, side: 'buy', lots: 10, markTicks: 94, rewardRate: 0.05 * 0.4, endsMs: 102 },
      { kind: 'LiquidationDeferred', account: L, dueMs: 102 },
    ])
    expect(auction.cause).toBe(events[2]!.seq)
    expect(venue.liquidation.inAuction(L)).toBe(true)
  })

  it('the first bid with the capital wins: a poor bidder is rejected, a later one finds it closed; the penalty is split', () => {
    const { venue, auction } = auctioned()
    // POOR (50): 10 lots at 94 need 188 of initial margin → rejected.
    const poor = applyAll(venue, [liquidatorBid(10, POOR, auction.seq, 10)])
    expect(strip(poor.slice(1))).toEqual([
      { kind: 'LiquidatorBidRejected', account: POOR, auction: auction.seq, reason: 'insufficient_margin' },
    ])
    // RICH takes all 10 at the mark 94. Penalty floor(940·5%) = 47 (L's equity 90 covers it):
    // RICH gets floor(47·40%) = 18, the fund 29. L: cash −850 + 940 − 47 = 43.
    const rich = applyAll(venue, [liquidatorBid(20, RICH, auction.seq, 10)])
    expect(strip(rich.slice(1))).toEqual([
      { kind: 'LiquidatorTakeover', account: L, liquidator: RICH, auction: auction.seq, instrument: 0, side: 'buy', priceTicks: 94, lots: 10 },
      { kind: 'LiquidatorReward', account: L, liquidator: RICH, amount: 18 },
      { kind: 'LiquidationPenalty', account: L, amount: 29 },
    ])
    expect(rich[1]!.cause).toBe(rich[0]!.seq) // the bid, whose cause is the auction
    expect(rich[0]!.cause).toBe(auction.seq)
    expect(venue.accounts.cash[L]).toBe(43)
    expect(venue.accounts.position(RICH, 0)).toBe(10)
    expect(venue.accounts.cash[RICH]).toBe(1000 - 940 + 18)
    expect(venue.accounts.cash[FUND]).toBe(1029)
    const late = applyAll(venue, [liquidatorBid(30, RICH2, auction.seq, 10)])
    expect(late[1]).toMatchObject({ kind: 'LiquidatorBidRejected', account: RICH2, reason: 'auction_closed' })
    // The wake-up at the auction's end finds nothing left to do.
    expect(applyAll(venue, [liquidationWake(102, L, auction.seq + 1)]).length).toBe(1)
  })

  it('shares an auction between bidders, each paid its share of the penalty on its lots', () => {
    const { venue, auction } = auctioned()
    // RICH 4 lots: penalty floor(4·94·5%) = floor(18.8) = 18 → reward floor(7.2) = 7, fund 11.
    // RICH2 the other 6: penalty floor(28.2) = 28 → reward floor(11.2) = 11, fund 17.
    const events = applyAll(venue, [liquidatorBid(10, RICH, auction.seq, 4), liquidatorBid(11, RICH2, auction.seq, 10)])
    expect(strip(events.filter((e) => e.kind !== 'LiquidatorBid'))).toEqual([
      expect.objectContaining({ kind: 'LiquidatorTakeover', liquidator: RICH, lots: 4 }),
      { kind: 'LiquidatorReward', account: L, liquidator: RICH, amount: 7 },
      { kind: 'LiquidationPenalty', account: L, amount: 11 },
      expect.objectContaining({ kind: 'LiquidatorTakeover', liquidator: RICH2, lots: 6 }),
      { kind: 'LiquidatorReward', account: L, liquidator: RICH2, amount: 11 },
      { kind: 'LiquidationPenalty', account: L, amount: 17 },
    ])
    expect(venue.liquidation.inAuction(L)).toBe(false)
  })

  it('hands an unsold remainder to the backstop when the auction ends, at the mark then', () => {
    const { venue, auction } = auctioned()
    // No bids. Mark 92 at the end: backstop takes 10 @ 92 → cash −850 + 920 = 70; penalty
    // floor(920·5%) = 46 to the fund → 24.
    applyAll(venue, [oraclePrice(50, TEST, 92, -1)])
    expect(checkNoNegativeEquity(venue)).toBeNull()
    const events = applyAll(venue, [liquidationWake(102, L, auction.seq + 1)])
    expect(strip(events.slice(1))).toEqual([
      { kind: 'BackstopTakeover', account: L, instrument: 0, side: 'sell', priceTicks: 92, lots: 10 },
      { kind: 'LiquidationPenalty', account: L, amount: 46 },
    ])
    // The takeover names the auction (not the wake) as its cause, so its chain reaches the step.
    expect(events[1]!.cause).toBe(auction.seq)
    expect(events[2]!.cause).toBe(auction.seq)
    expect(venue.accounts.cash[L]).toBe(24)
  })

  it('rejects bids for unknown auctions, from the liquidated account or the fund, and of bad sizes', () => {
    const { venue, auction } = auctioned()
    const reasons = [
      liquidatorBid(10, RICH, auction.seq + 99, 1), liquidatorBid(10, L, auction.seq, 1), liquidatorBid(10, FUND, auction.seq, 1),
      liquidatorBid(10, 77, auction.seq, 1), liquidatorBid(10, RICH, auction.seq, 0), liquidatorBid(10, RICH, auction.seq, 1.5),
      liquidatorBid(200, RICH, auction.seq, 1),
    ].map((bid) => (applyAll(venue, [bid])[1] as { reason: string }).reason)
    expect(reasons).toEqual(['auction_closed', 'unknown_account', 'unknown_account', 'unknown_account', 'bad_size', 'bad_size', 'auction_closed'])
  })

  it('an auction that outlasts a pending rate-limit wake-up still gets its own wake-up', () => {
    // Default rules, auctions of 1,000 ms. t 2: partial step at 94 into a 4 @ 94 bid (4 lots).
    // t 500: mark 90 → wait for 1,002. t 600: mark 85 → E = −492 + 510 = 18 < 2/3 of MM 51 → full
    // step, no bids: auction of 6 lots until 1,600 (the wake-up at 1,002 is already pending).
    const venue = new Venue(craftedVenueConfig({}, { auctionMs: 1000 }))
    applyAll(venue, [
      openAccount(0, FUND), deposit(0, FUND, 1000), openAccount(0, L), deposit(0, L, 150),
      openAccount(0, SHORT), deposit(0, SHORT, 10_000), openAccount(0, POOR), deposit(0, POOR, 100_000),
      oraclePrice(0, TEST, 100, -1), blockTrade(0, 0, L, SHORT, 100, 10), placeOrder(1, POOR, 0, 'buy', 'limit', 94, 4),
      oraclePrice(2, TEST, 94, -1),
    ])
    const waiting = applyAll(venue, [oraclePrice(500, TEST, 90, -1)]).find((e) => e.kind === 'LiquidationDeferred')!
    const full = applyAll(venue, [oraclePrice(600, TEST, 85, -1)])
    expect(full.map((e) => e.kind)).toEqual(['OraclePrice', 'MarkPrice', 'Liquidation', 'LiquidationAuction'])
    const woken = applyAll(venue, [liquidationWake(1002, L, waiting.seq)])
    expect(strip(woken.slice(1))).toEqual([{ kind: 'LiquidationDeferred', account: L, dueMs: 1600 }])
    const ended = applyAll(venue, [liquidationWake(1600, L, woken[1]!.seq)])
    expect(ended[1]).toMatchObject({ kind: 'BackstopTakeover', lots: 6, priceTicks: 85 })
    expect(venue.liquidation.inAuction(L)).toBe(false)
  })

  it('goes straight to the backstop when the account has no equity left to pay a liquidator', () => {
    const venue = new Venue(craftedVenueConfig({}, { fullBelowHealth: 1, auctionMs: 100 }))
    applyAll(venue, [
      openAccount(0, FUND), deposit(0, FUND, 1000), openAccount(0, L), deposit(0, L, 150),
      openAccount(0, SHORT), deposit(0, SHORT, 10_000), oraclePrice(0, TEST, 100, -1), blockTrade(0, 0, L, SHORT, 100, 10),
    ])
    const events = applyAll(venue, [oraclePrice(2, TEST, 80, -1)])
    expect(events.map((e) => e.kind)).toEqual(['OraclePrice', 'MarkPrice', 'Underwater', 'Liquidation', 'BackstopTakeover', 'FundPayout', 'DeficitResolved'])
  })
})
