// The venue's margin modes, collateral and requirements, hand-computed on round numbers: assets
// USD (cash) and TEST (asset 1, the base of both instruments A-PERP and B-PERP) and COL (asset 2,
// collateral only); 1 lot·tick = 1 unit·tick = 1 cash unit; maintenance 10%, initial 20%, no fees,
// backstop at mark (no book). Invariants (per-asset conservation included) are checked after
// every event.

import { describe, expect, it } from 'vitest'
import {
  blockTrade, deposit, openAccount, openCompartment, oraclePrice, placeOrder, transfer, type VenueEvent,
} from '../../engine/events.js'
import { checkInvariants, checkNoNegativeEquity } from '../../engine/invariants.js'
import type { MarginTier, VenueConfig } from '../../engine/venue_config.js'
import { applyAll, craftedAsset, craftedInstrument, Venue } from '../helpers/small_world.js'

const USD = 0
const TEST = 1
const COL = 2
const A = 0 // A-PERP
const B = 1 // B-PERP

function config(tiers?: MarginTier[]): VenueConfig {
  return {
    preset: 'test', cashAsset: 'USD', cashUnit: 1,
    assets: [craftedAsset('USD'), craftedAsset('TEST'), craftedAsset('COL', { haircut: 0.5 })],
    instruments: [craftedInstrument({ symbol: 'A-PERP' }, tiers), craftedInstrument({ symbol: 'B-PERP' })],
    takerFeeRate: 0, makerFeeRate: 0, cascadeRoundsMax: 1000,
  }
}

function checkedVenue(tiers?: MarginTier[]): Venue {
  const venue = new Venue(config(tiers))
  venue.afterEvent = () => {
    const problem = checkInvariants(venue, true)
    if (problem) throw new Error(problem)
  }
  return venue
}

const kinds = (events: VenueEvent[]) => events.map((e) => e.kind)

describe('cross vs isolated on a hedged pair (venue)', () => {
  // Fund 0 (1,000); counterparty 1 (100,000). Cross trader 2 deposits 400 and goes long 10 A and
  // short 10 B at 100. Isolated trader: wallet 3 deposits 400, compartments 4 (A) and 5 (B) get
  // 200 each and take the same two legs.
  function setup(venue: Venue) {
    applyAll(venue, [
      openAccount(0, 0), deposit(0, 0, 1_000), openAccount(0, 1), deposit(0, 1, 100_000),
      openAccount(0, 2), deposit(0, 2, 400),
      openAccount(0, 3), deposit(0, 3, 400), openCompartment(0, 4, 3, A), openCompartment(0, 5, 3, B),
      transfer(0, 3, 4, USD, 200), transfer(0, 3, 5, USD, 200),
      oraclePrice(0, TEST, 100, -1),
      blockTrade(0, A, 2, 1, 100, 10), blockTrade(0, B, 1, 2, 100, 10),
      blockTrade(0, A, 4, 1, 100, 10), blockTrade(0, B, 1, 5, 100, 10),
    ])
  }

  it('a 30% drop: cross nets and survives, the isolated long leg is liquidated on its own', () => {
    const venue = checkedVenue()
    setup(venue)
    const events = applyAll(venue, [oraclePrice(1, TEST, 70, -1)])
    // cross 2: equity 400 (legs cancel) ≥ MM 70 + 70. Isolated long 4: 200 − 300 = −100 < 70.
    // short 5: 200 + 300 = 500 ≥ 70. The backstop takes the long at 70: cash 200 − 1,000 + 700 = −100,
    // no penalty (nothing left), the fund pays 100.
    expect(events.filter((e) => e.kind === 'Liquidation').map((e) => (e as { account: number }).account)).toEqual([4])
    expect(kinds(events).slice(1)).toEqual(['MarkPrice', 'MarkPrice', 'Underwater', 'Liquidation', 'BackstopTakeover', 'FundPayout', 'DeficitResolved']) // both perps are on TEST
    expect(venue.margin.equity(venue.accounts, 2)).toBe(400)
    expect(venue.margin.equity(venue.accounts, 5)).toBe(500)
    expect(venue.accounts.position(4, A)).toBe(0)
    expect(venue.accounts.cash[3]).toBe(0) // the wallet is untouched by its compartment's loss
    expect(checkNoNegativeEquity(venue)).toBeNull()
  })

  it('an isolated compartment may trade only its instrument', () => {
    const venue = checkedVenue()
    setup(venue)
    const [, rejected] = applyAll(venue, [placeOrder(1, 4, B, 'buy', 'limit', 90, 1)])
    expect(rejected).toMatchObject({ kind: 'OrderRejected', account: 4, reason: 'instrument_not_allowed' })
  })
})

describe('transfers between a parent and its compartments', () => {
  function setup(venue: Venue) {
    applyAll(venue, [
      openAccount(0, 0), openAccount(0, 1), deposit(0, 1, 100_000),
      openAccount(0, 2), deposit(0, 2, 1_000), deposit(0, 2, 50, COL), openCompartment(0, 3, 2, A),
      openAccount(0, 4), deposit(0, 4, 1_000), openCompartment(0, 5, 2, -1),
      oraclePrice(0, TEST, 100, -1), oraclePrice(0, COL, 2, -1),
    ])
  }

  it('moves cash and collateral both ways; rejects unrelated accounts, overdrafts and IM breaches', () => {
    const venue = checkedVenue()
    setup(venue)
    const reasons = (events: VenueEvent[]) => events.slice(1).map((e) => (e as { reason?: string }).reason ?? e.kind)
    expect(reasons(applyAll(venue, [transfer(1, 2, 3, USD, 300)]))).toEqual([])
    expect(reasons(applyAll(venue, [transfer(1, 2, 3, COL, 20)]))).toEqual([])
    expect(venue.accounts.cash[3]).toBe(300)
    expect(venue.accounts.balance(3, COL)).toBe(20)
    // 3 goes long 10 A at 100 (IM 200): it may send back only what keeps equity ≥ IM.
    applyAll(venue, [blockTrade(1, A, 3, 1, 100, 10)])
    // equity 300 + 20·2·0.5 = 320; moving 101 cash leaves 219 ≥ 200, moving 121 more would leave 98 < 200
    expect(reasons(applyAll(venue, [transfer(2, 3, 2, USD, 101)]))).toEqual([])
    expect(reasons(applyAll(venue, [transfer(2, 3, 2, USD, 100)]))).toEqual(['insufficient_margin'])
    expect(reasons(applyAll(venue, [transfer(2, 3, 2, COL, 20)]))).toEqual(['insufficient_margin']) // −20 value: 199 < 200
    expect(reasons(applyAll(venue, [transfer(2, 3, 2, COL, 1)]))).toEqual([]) // −1 value: 218 ≥ 200
    expect(reasons(applyAll(venue, [transfer(2, 2, 3, USD, 10_000)]))).toEqual(['insufficient_balance'])
    expect(reasons(applyAll(venue, [transfer(2, 4, 3, USD, 10)]))).toEqual(['not_related'])
    expect(reasons(applyAll(venue, [transfer(2, 3, 5, USD, 10)]))).toEqual(['not_related']) // sibling compartments
    expect(reasons(applyAll(venue, [transfer(2, 2, 3, 7, 10)]))).toEqual(['unknown_asset'])
    expect(reasons(applyAll(venue, [transfer(2, 2, 3, USD, 1.5)]))).toEqual(['bad_amount'])
    expect(reasons(applyAll(venue, [transfer(2, 2, 99, USD, 1)]))).toEqual(['unknown_account'])
    expect(reasons(applyAll(venue, [transfer(2, 2, 5, USD, 100)]))).toEqual([]) // sub-account
    expect(venue.accounts.parent[5]).toBe(2)
  })
})

describe('multi-asset collateral in liquidation', () => {
  /** Trader 2: 10 USD + 100 COL (worth 100·2·0.5 = 100), long 10 A at 100: equity 110 ≥ MM 100. */
  function collateralTrader(): Venue {
    const venue = checkedVenue()
    applyAll(venue, [
      openAccount(0, 0), deposit(0, 0, 1_000), openAccount(0, 1), deposit(0, 1, 100_000),
      openAccount(0, 2), deposit(0, 2, 10), deposit(0, 2, 100, COL),
      oraclePrice(0, TEST, 100, -1), oraclePrice(0, COL, 2, -1), blockTrade(0, A, 2, 1, 100, 10),
    ])
    return venue
  }

  it('seizes just enough collateral to cover a deficit, at its haircut value, before the fund pays', () => {
    const venue = collateralTrader()
    expect(venue.margin.equity(venue.accounts, 2)).toBe(110)
    // At 95: equity 10 − 1,000 + 950 + 100 = 60 < 95. Backstop at 95: cash −40; no penalty;
    // seize ceil(40 / 1) = 40 COL for 40 cash; the fund pays nothing more.
    const events = applyAll(venue, [oraclePrice(1, TEST, 95, -1)])
    expect(kinds(events).slice(3)).toEqual(['Liquidation', 'BackstopTakeover', 'CollateralSeized', 'DeficitResolved'])
    expect(events.at(-2)).toMatchObject({ account: 2, asset: COL, units: 40, amount: 40 })
    expect(events.at(-1)).toMatchObject({ kind: 'DeficitResolved', account: 2, deficit: 40, collateral: 40, fund: 0 })
    expect(venue.accounts.cash[2]).toBe(0)
    expect(venue.accounts.balance(2, COL)).toBe(60)
    expect(venue.accounts.balance(0, COL)).toBe(40)
    expect(venue.assetDeposits[COL]).toBe(100)
  })

  it('a collateral price drop alone can liquidate a cross account', () => {
    const venue = collateralTrader()
    // COL 2 → 1: equity 10 + 50 = 60 < MM 100, with no mark change: the OraclePrice is the cause
    const events = applyAll(venue, [oraclePrice(1, COL, 1, -1)])
    expect(events[1]).toMatchObject({ kind: 'Liquidation', account: 2, cause: events[0]!.seq, equity: 60 })
  })
})

describe('tiered requirements in the venue', () => {
  // A-PERP: MM 10% and IM 20% up to 1,000 notional, then MM 25% (amount 150) and IM 50%.
  const tiers: MarginTier[] = [
    { maxNotional: 1_000, maintenanceRate: 0.1, initialRate: 0.2, maintenanceAmount: 0 },
    { maxNotional: Number.MAX_SAFE_INTEGER, maintenanceRate: 0.25, initialRate: 0.5, maintenanceAmount: 150 },
  ]

  it('rejects an order whose new notional reaches a tier whose initial margin the account lacks', () => {
    const venue = checkedVenue(tiers)
    applyAll(venue, [
      openAccount(0, 0), openAccount(0, 1), deposit(0, 1, 100_000), openAccount(0, 2), deposit(0, 2, 400),
      oraclePrice(0, TEST, 100, -1), placeOrder(0, 1, A, 'sell', 'limit', 100, 100),
    ])
    // 10 lots: IM 1,000·20% = 200 ≤ 400 → fills. 15 lots: 1,500·50% = 750 > 400 → rejected.
    expect(applyAll(venue, [placeOrder(1, 2, A, 'buy', 'limit', 100, 10)])[1]).toMatchObject({ kind: 'Fill', lots: 10 })
    expect(applyAll(venue, [placeOrder(2, 2, A, 'buy', 'limit', 100, 5)])[1]).toMatchObject({ kind: 'OrderRejected', reason: 'insufficient_margin' })
    expect(venue.margin.initialMargin(venue.accounts, 2)).toBe(200)
    // At 120: notional 1,200 in tier 2 → MM 1,200·25% − 150 = 150; equity 400 + 200 = 600
    applyAll(venue, [oraclePrice(3, TEST, 120, -1)])
    expect(venue.margin.maintenanceMargin(venue.accounts, 2)).toBe(150)
    expect(venue.margin.health(venue.accounts, 2)).toBe(4)
  })

  it('realises PnL on reduce and keeps the entry price', () => {
    const venue = checkedVenue()
    applyAll(venue, [
      openAccount(0, 0), openAccount(0, 1), deposit(0, 1, 100_000), openAccount(0, 2), deposit(0, 2, 1_000),
      oraclePrice(0, TEST, 100, -1), blockTrade(0, A, 2, 1, 100, 10), blockTrade(0, A, 1, 2, 110, 4),
    ])
    // sold 4 at 110 from 10 at 100: realised 40; 6 left at entry 100
    expect(venue.accounts.realizedPnl[2]).toBe(40)
    expect(venue.accounts.entryCostTicks[2 * 2 + A]).toBe(600)
    expect(venue.margin.walletBalance(venue.accounts, 2)).toBe(1_040)
  })
})
