// Hand-computed full-liquidation outcomes on a venue with round numbers (see craftedVenueConfig:
// 1 lot·tick = 1 cash unit, maintenance 10%, initial 20%, band 50%, penalty 5%, no fees), with
// every step full (fullBelowHealth 1). Partial steps, auctions and ADL have their own tests.

import { describe, expect, it } from 'vitest'
import {
  blockTrade, cancelOrder, deposit, openAccount, oraclePrice, placeOrder, type InputEvent, type VenueEvent,
} from '../../engine/events.js'
import { checkInvariants, checkNoNegativeEquity } from '../../engine/invariants.js'
import { applyAll, craftedVenueConfig, Venue } from '../helpers/small_world.js'

const FUND = 0
const LONG = 1
const SHORT = 2
const MAKER = 3
/** The instrument's base asset (its oracle price is the mark). */
const TEST = 1

/** Fund, a 10-lot long at 100 with 150 deposited (cash −850, equity 150 at 100), its short, a maker. */
function setup(fundDeposit: number): InputEvent[] {
  return [
    openAccount(0, FUND), deposit(0, FUND, fundDeposit),
    openAccount(0, LONG), deposit(0, LONG, 150),
    openAccount(0, SHORT), deposit(0, SHORT, 10_000),
    openAccount(0, MAKER), deposit(0, MAKER, 100_000),
    oraclePrice(0, TEST, 100, -1),
    blockTrade(0, 0, LONG, SHORT, 100, 10),
  ]
}

const outcomes = (events: VenueEvent[]) => events.filter((e) => !['OraclePrice', 'PlaceOrder'].includes(e.kind)).map((e) => {
  const { seq: _s, t: _t, cause: _c, ...rest } = e as VenueEvent & Record<string, unknown>
  return rest
})

const FULL_ONLY = { fullBelowHealth: 1 }

function run(fundDeposit: number, makerBids: [number, number][], oracleTicks: number) {
  const venue = new Venue(craftedVenueConfig({}, FULL_ONLY))
  venue.afterEvent = () => {
    const problem = checkInvariants(venue, true)
    if (problem) throw new Error(problem)
  }
  applyAll(venue, setup(fundDeposit))
  applyAll(venue, makerBids.map(([price, lots]) => placeOrder(1, MAKER, 0, 'buy', 'limit', price, lots)))
  const events = applyAll(venue, [oraclePrice(2, TEST, oracleTicks, -1)])
  expect(checkNoNegativeEquity(venue)).toBeNull()
  return { venue, events }
}

describe('liquidation', () => {
  it('is not triggered while equity >= maintenance margin', () => {
    // mark 95: equity = −850 + 950 = 100, maintenance = 10·95·10% = 95 → healthy
    const { events } = run(1000, [[90, 10]], 95)
    expect(events.map((e) => e.kind)).toEqual(['OraclePrice', 'MarkPrice'])
  })

  it('closes into the book, then charges the penalty (capped at what is left) to the fund', () => {
    // mark 94: equity 90 < maintenance 94 → liquidate. Sell 10: 5 @ 90 + 5 @ 85 → cash
    // −850 + 450 + 425 = 25. Penalty due floor(10·94·5%) = 47, capped at the 25 left.
    const { venue, events } = run(1000, [[90, 5], [85, 5]], 94)
    expect(outcomes(events)).toEqual([
      { kind: 'MarkPrice', instrument: 0, priceTicks: 94 },
      { kind: 'Liquidation', account: LONG, equity: 90, maintenanceMargin: 94, mode: 'full' },
      expect.objectContaining({ kind: 'Fill', taker: LONG, maker: MAKER, priceTicks: 90, lots: 5, liquidation: true }),
      expect.objectContaining({ kind: 'Fill', taker: LONG, maker: MAKER, priceTicks: 85, lots: 5, liquidation: true }),
      { kind: 'LiquidationPenalty', account: LONG, amount: 25 },
    ])
    expect(venue.accounts.position(LONG, 0)).toBe(0)
    expect(venue.accounts.cash[LONG]).toBe(0)
    expect(venue.accounts.cash[FUND]).toBe(1025)
    expect(venue.badDebtTotal).toBe(0)
  })

  it('charges the full penalty when the account has enough left', () => {
    // mark 94, book 10 @ 93: cash −850 + 930 = 80; penalty floor(47) = 47 → account keeps 33
    const { venue } = run(1000, [[93, 10]], 94)
    expect(venue.accounts.cash[LONG]).toBe(33)
    expect(venue.accounts.cash[FUND]).toBe(1047)
  })

  it('hands what the book cannot absorb within the band to the backstop at mark; the fund pays the deficit', () => {
    // Gap to 70: equity −150. Book 4 @ 90 (stale bid, better than mark) → cash −850 + 360 = −490.
    // Band floor(70·50%) = 35 but no more bids: the fund takes 6 @ 70 → cash −490 + 420 = −70.
    // The fund's free capital 1000 − IM 6·70·20% = 916 covers the takeover and the payout.
    // No penalty (nothing left). Fund equity = (1000 − 420) + 6·70 = 1000, free 916 ≥ 70 → payout 70.
    const { venue, events } = run(1000, [[90, 4]], 70)
    expect(outcomes(events).slice(1)).toEqual([
      { kind: 'Underwater', account: LONG, equity: -150, maintenanceMargin: 70 }, // reached past its bankruptcy price: gap risk
      { kind: 'Liquidation', account: LONG, equity: -150, maintenanceMargin: 70, mode: 'full' },
      expect.objectContaining({ kind: 'Fill', priceTicks: 90, lots: 4 }),
      { kind: 'BackstopTakeover', account: LONG, instrument: 0, side: 'sell', priceTicks: 70, lots: 6 },
      { kind: 'FundPayout', account: LONG, amount: 70 },
      { kind: 'DeficitResolved', account: LONG, deficit: 70, collateral: 0, fund: 70, socialized: 0, adl: 0, badDebt: 0 },
    ])
    expect(venue.accounts.position(FUND, 0)).toBe(6)
    expect(venue.accounts.cash[FUND]).toBe(1000 - 420 - 70)
    expect(venue.accounts.cash[LONG]).toBe(0)
  })

  it('books bad debt for the part of a deficit the fund cannot pay (fills below the bankruptcy price)', () => {
    // Gap to 70: equity −150, bankruptcy price 70 + 150/10 = 85. Book 4 @ 90 and 6 @ 60 (within
    // the band, floor(70·50%) = 35): cash −850 + 360 + 360 = −130. The fund (30, no positions,
    // not exhausted) pays 30 of the 130 deficit; 100 is bad debt and the account is reset to zero.
    const { venue, events } = run(30, [[90, 4], [60, 6]], 70)
    expect(outcomes(events).slice(-3)).toEqual([
      { kind: 'FundPayout', account: LONG, amount: 30 },
      { kind: 'BadDebt', account: LONG, amount: 100 },
      { kind: 'DeficitResolved', account: LONG, deficit: 130, collateral: 0, fund: 30, socialized: 0, adl: 0, badDebt: 100 },
    ])
    expect(venue.badDebtTotal).toBe(100)
    expect(venue.accounts.cash[LONG]).toBe(0)
    expect(venue.accounts.cash[FUND]).toBe(0)
    expect(checkInvariants(venue)).toBeNull() // deposits + bad debt = cash + positions + fees
  })

  it('every outcome of a liquidation names the liquidation as its cause, and the liquidation the mark change', () => {
    const { events } = run(30, [[90, 4]], 70)
    const mark = events.find((e) => e.kind === 'MarkPrice')!
    const liquidation = events.find((e) => e.kind === 'Liquidation')!
    expect(liquidation.cause).toBe(mark.seq)
    for (const e of events.slice(events.indexOf(liquidation) + 1)) expect(e.cause).toBe(liquidation.seq)
    // seq is dense and every cause precedes its effect
    events.forEach((e, k) => {
      if (k > 0) expect(e.seq).toBe(events[k - 1]!.seq + 1)
      expect(e.cause).toBeLessThan(e.seq)
    })
  })

  it('cancels the liquidated account\'s resting orders first', () => {
    const venue = new Venue(craftedVenueConfig({}, FULL_ONLY))
    applyAll(venue, setup(1000))
    applyAll(venue, [placeOrder(1, MAKER, 0, 'buy', 'limit', 90, 10), placeOrder(1, LONG, 0, 'sell', 'limit', 120, 3)])
    const events = applyAll(venue, [oraclePrice(2, TEST, 94, -1)])
    const kinds = events.map((e) => e.kind)
    expect(kinds.slice(0, 4)).toEqual(['OraclePrice', 'MarkPrice', 'Liquidation', 'OrderCancelled'])
    expect(events[3]).toMatchObject({ reason: 'liquidation', lots: 3 })
  })
})

describe('orders', () => {
  it('rejects an order that would breach initial margin, and accepts one that reduces', () => {
    const venue = new Venue(craftedVenueConfig())
    applyAll(venue, setup(1000))
    // LONG: equity 150, IM of 10 lots at 100 = 200 > 150 → adding any size is rejected
    let events = applyAll(venue, [placeOrder(1, LONG, 0, 'buy', 'limit', 99, 1)])
    expect(events[1]).toMatchObject({ kind: 'OrderRejected', reason: 'insufficient_margin', account: LONG })
    events = applyAll(venue, [placeOrder(1, LONG, 0, 'sell', 'limit', 101, 5)])
    expect(events[1]).toMatchObject({ kind: 'OrderRested', lots: 5, priceTicks: 101 })
  })

  it('rejects unknown accounts, bad sizes and prices, and post-only orders that would take', () => {
    const venue = new Venue(craftedVenueConfig())
    applyAll(venue, setup(1000))
    applyAll(venue, [placeOrder(1, MAKER, 0, 'sell', 'limit', 101, 5)])
    const reasons = [
      placeOrder(1, 99, 0, 'buy', 'limit', 100, 1),
      placeOrder(1, FUND, 0, 'buy', 'limit', 100, 1),
      placeOrder(1, SHORT, 0, 'buy', 'limit', 100, 0),
      placeOrder(1, SHORT, 0, 'buy', 'limit', 100, 1.5),
      placeOrder(1, SHORT, 0, 'buy', 'limit', -3, 1),
      placeOrder(1, SHORT, 3, 'buy', 'limit', 100, 1),
      placeOrder(1, SHORT, 0, 'buy', 'post_only', 101, 1),
    ].map((input) => applyAll(venue, [input])[1])
    expect(reasons.map((e) => (e as { reason?: string }).reason)).toEqual([
      'unknown_account', 'unknown_account', 'bad_size', 'bad_size', 'bad_price', 'unknown_instrument', 'would_take',
    ])
  })

  it('market orders fill within the band and cancel the rest; limit orders rest their remainder', () => {
    const venue = new Venue(craftedVenueConfig({ marketOrderBandRate: 0.05 }))
    applyAll(venue, setup(1000))
    applyAll(venue, [placeOrder(1, MAKER, 0, 'sell', 'limit', 104, 2), placeOrder(1, MAKER, 0, 'sell', 'limit', 106, 2)])
    // band: ceil(100·1.05) = 105 → only the 104 level is reachable
    let events = applyAll(venue, [placeOrder(2, SHORT, 0, 'buy', 'market', 0, 5)])
    expect(events.slice(1).map((e) => e.kind)).toEqual(['Fill', 'OrderCancelled'])
    expect(events[2]).toMatchObject({ reason: 'unfilled', lots: 3 })
    events = applyAll(venue, [placeOrder(3, SHORT, 0, 'buy', 'limit', 106, 5)])
    expect(events.slice(1).map((e) => e.kind)).toEqual(['Fill', 'OrderRested'])
    expect(events[2]).toMatchObject({ lots: 3, priceTicks: 106 })
  })

  it('cancels only the owner\'s orders', () => {
    const venue = new Venue(craftedVenueConfig())
    applyAll(venue, setup(1000))
    const [placed] = applyAll(venue, [placeOrder(1, MAKER, 0, 'sell', 'limit', 104, 2)])
    const orderId = placed!.seq
    expect(applyAll(venue, [cancelOrder(2, SHORT, 0, orderId)])[1]).toMatchObject({ kind: 'OrderRejected', reason: 'unknown_order' })
    expect(applyAll(venue, [cancelOrder(2, MAKER, 0, orderId)])[1]).toMatchObject({ kind: 'OrderCancelled', reason: 'user', lots: 2 })
  })

  it('charges taker and maker fees, floored to cash units, into the fees total', () => {
    const config = craftedVenueConfig()
    config.takerFeeRate = 0.01
    config.makerFeeRate = 0.004
    const venue = new Venue(config)
    applyAll(venue, setup(1000))
    applyAll(venue, [placeOrder(1, MAKER, 0, 'sell', 'limit', 101, 3)])
    const events = applyAll(venue, [placeOrder(2, SHORT, 0, 'buy', 'limit', 101, 3)])
    // notional 303: taker fee floor(3.03) = 3, maker fee floor(1.212) = 1
    expect(events[1]).toMatchObject({ kind: 'Fill', takerFee: 3, makerFee: 1 })
    expect(venue.feesCollected).toBe(4)
    expect(checkInvariants(venue)).toBeNull()
  })
})
