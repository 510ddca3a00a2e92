// The insurance fund as a balance sheet (engine/liquidation/insurance_fund.ts, backstop.ts) and
// gap risk (deficit_record.ts), hand-computed on the crafted venue (1 lot·tick = 1 cash unit,
// maintenance 10%, initial 20%, band 50%, penalty 5%, no fees, every step full): the fund
// unwinds what it took into the book within its band, takes within its position limit, and a
// negative fund equity is deleveraged or socialised at once; a liquidation delay lets an account
// cross bankruptcy before its first step, which is recorded.

import { describe, expect, it } from 'vitest'
import {
  blockTrade, deposit, liquidationWake, openAccount, oraclePrice, placeOrder, type InputEvent, type VenueEvent,
} from '../../engine/events.js'
import { checkInvariants, checkNoNegativeEquity } from '../../engine/invariants.js'
import type { LiquidationConfig } from '../../engine/liquidation/liquidation_config.js'
import { applyAll, craftedVenueConfig, Venue } from '../helpers/small_world.js'

const FUND = 0
const LONG = 1
const SHORT = 2
const MAKER = 3
const TEST = 1

/** Fund, a 10-lot long at 100 with 150 deposited (bankrupt at 85), its short, a maker bidding `bids`. */
function world(fundDeposit: number, liquidation: Partial<LiquidationConfig>, bids: [number, number][]): Venue {
  const venue = new Venue(craftedVenueConfig({}, { fullBelowHealth: 1, ...liquidation }))
  venue.afterEvent = () => {
    const problem = checkInvariants(venue, true)
    if (problem) throw new Error(problem)
  }
  const inputs: InputEvent[] = [
    openAccount(0, FUND), deposit(0, FUND, fundDeposit), openAccount(0, LONG), deposit(0, LONG, 150),
    openAccount(0, SHORT), deposit(0, SHORT, 10_000), openAccount(0, MAKER), deposit(0, MAKER, 100_000),
    oraclePrice(0, TEST, 100, -1), blockTrade(0, 0, LONG, SHORT, 100, 10),
    ...bids.map(([price, lots]) => placeOrder(1, MAKER, 0, 'buy', 'limit', price, lots)),
  ]
  applyAll(venue, inputs)
  return venue
}

const strip = (events: VenueEvent[]) => events.filter((e) => e.kind !== 'OraclePrice' && e.kind !== 'PlaceOrder').map((e) => {
  const { seq: _s, t: _t, cause: _c, ...rest } = e as VenueEvent & Record<string, unknown>
  return rest
})

function step(venue: Venue, inputs: InputEvent[]): VenueEvent[] {
  const events = applyAll(venue, inputs)
  expect(checkNoNegativeEquity(venue)).toBeNull()
  return events
}

describe('the fund unwinds what it took', () => {
  it('sends reduce-only orders within its band at its interval; the fills are liquidation flow caused by the order', () => {
    // Gap to 70 (equity −150): 4 @ 90 fill, the fund takes 6 @ 70 and pays the 70 deficit. It asks
    // to look again in 1,000 ms. Orders of at most 150 notional: floor(150 / 70) = 2 lots, limit
    // floor(70 · 0.99) = 69.
    const venue = world(1000, { fundUnwindIntervalMs: 1000, fundUnwindNotionalMax: 150, fundUnwindBandRate: 0.01 }, [[90, 4]])
    const gap = step(venue, [oraclePrice(2, TEST, 70, -1)])
    const deferred = gap.find((e) => e.kind === 'LiquidationDeferred')!
    expect(strip([deferred])).toEqual([{ kind: 'LiquidationDeferred', account: FUND, dueMs: 1002 }])
    expect(deferred.cause).toBe(gap.find((e) => e.kind === 'BackstopTakeover')!.seq)
    step(venue, [placeOrder(500, MAKER, 0, 'buy', 'limit', 69, 3), placeOrder(500, MAKER, 0, 'buy', 'limit', 60, 5)])
    const first = step(venue, [liquidationWake(1002, FUND, deferred.seq)])
    expect(strip(first)).toEqual([
      { kind: 'LiquidationWake', account: FUND },
      { kind: 'FundUnwind', instrument: 0, side: 'sell', lots: 2, limitTicks: 69 },
      expect.objectContaining({ kind: 'Fill', taker: FUND, maker: MAKER, side: 'sell', priceTicks: 69, lots: 2, takerFee: 0, liquidation: true }),
      { kind: 'LiquidationDeferred', account: FUND, dueMs: 2002 },
    ])
    expect(first[2]!.cause).toBe(first[1]!.seq)
    expect(venue.accounts.position(FUND, 0)).toBe(4)
    expect(venue.accounts.cash[FUND]).toBe(1000 - 420 - 70 + 138)
    // One lot left at 69, then only 60 (outside the band): 1 fills, the rest of the order is dropped.
    const second = step(venue, [liquidationWake(2002, FUND, first.at(-1)!.seq)])
    expect(strip(second).map((e) => e.kind)).toEqual(['LiquidationWake', 'FundUnwind', 'Fill', 'LiquidationDeferred'])
    expect(venue.accounts.position(FUND, 0)).toBe(3)
  })

  it('takes no more than its position limit; the rest of a full step is deleveraged', () => {
    // Limit 280 = 4 lots at 70. After 4 @ 90 and 4 to the fund, equity −70 on 2 lots → ADL at 70 + 70/2 = 105.
    const venue = world(1000, { fundPositionNotionalMax: 280 }, [[90, 4]])
    const events = step(venue, [oraclePrice(2, TEST, 70, -1)])
    expect(strip(events).slice(-3)).toEqual([
      { kind: 'BackstopTakeover', account: LONG, instrument: 0, side: 'sell', priceTicks: 70, lots: 4 },
      { kind: 'AutoDeleverage', account: SHORT, bankrupt: LONG, instrument: 0, side: 'buy', priceTicks: 105, lots: 2, rank: 1 },
      { kind: 'DeficitResolved', account: LONG, deficit: 70, collateral: 0, fund: 0, socialized: 0, adl: 70, badDebt: 0 },
    ])
    expect(venue.accounts.position(FUND, 0)).toBe(4)
  })
})

describe('the fund is never left negative', () => {
  // Fund 100: it can carry 7 lots at initial margin (7·70·20% = 98), takes the 6 at 70, pays its
  // free capital 100 − 84 = 16 of the 70 deficit; cash 100 − 420 − 16 = −336, equity 84 at 70.
  // At 50 its equity is −336 + 300 = −36.
  it("'adl', fundShortfall 'deleverage': its positions are deleveraged at its bankruptcy price, 50 + 36/6 = 56", () => {
    const venue = world(100, { fundShortfall: 'deleverage' }, [[90, 4]])
    step(venue, [oraclePrice(2, TEST, 70, -1)])
    expect(venue.margin.equity(venue.accounts, FUND)).toBe(84)
    const events = step(venue, [oraclePrice(3, TEST, 50, -1)])
    expect(strip(events)).toEqual([
      { kind: 'MarkPrice', instrument: 0, priceTicks: 50 },
      { kind: 'Underwater', account: FUND, equity: -36, maintenanceMargin: 30 },
      { kind: 'AutoDeleverage', account: SHORT, bankrupt: FUND, instrument: 0, side: 'buy', priceTicks: 56, lots: 6, rank: 1 },
      { kind: 'DeficitResolved', account: FUND, deficit: 36, collateral: 0, fund: 0, socialized: 0, adl: 36, badDebt: 0 },
    ])
    expect(venue.margin.equity(venue.accounts, FUND)).toBe(0)
    expect(venue.accounts.position(FUND, 0)).toBe(0)
  })

  it("'adl', fundShortfall 'write_off' (the default): the 36 is the fund's bad debt, recorded; it keeps its 6 lots to unwind", () => {
    const venue = world(100, {}, [[90, 4]])
    step(venue, [oraclePrice(2, TEST, 70, -1)])
    const events = step(venue, [oraclePrice(3, TEST, 50, -1)])
    expect(strip(events)).toEqual([
      { kind: 'MarkPrice', instrument: 0, priceTicks: 50 },
      { kind: 'Underwater', account: FUND, equity: -36, maintenanceMargin: 30 },
      { kind: 'BadDebt', account: FUND, amount: 36 },
      { kind: 'DeficitResolved', account: FUND, deficit: 36, collateral: 0, fund: 0, socialized: 0, adl: 0, badDebt: 36 },
    ])
    expect(venue.margin.equity(venue.accounts, FUND)).toBe(0)
    expect(venue.accounts.position(FUND, 0)).toBe(6)
    expect(venue.badDebtTotal).toBe(54 + 36) // LONG's 54 the fund could not pay at 70, then the fund's own 36
  })

  it("'socialized': the shortfall is charged to the holders of the other side; the fund keeps its position", () => {
    // The same, but the 54 of LONG's deficit the fund could not pay is socialised to SHORT first.
    const venue = world(100, { deficitMode: 'socialized' }, [[90, 4]])
    step(venue, [oraclePrice(2, TEST, 70, -1)])
    const events = step(venue, [oraclePrice(3, TEST, 50, -1)])
    expect(strip(events)).toEqual([
      { kind: 'MarkPrice', instrument: 0, priceTicks: 50 },
      { kind: 'Underwater', account: FUND, equity: -36, maintenanceMargin: 30 },
      { kind: 'SocializedLoss', account: SHORT, bankrupt: FUND, instrument: 0, amount: 36 },
      { kind: 'DeficitResolved', account: FUND, deficit: 36, collateral: 0, fund: 0, socialized: 36, adl: 0, badDebt: 0 },
    ])
    expect(venue.margin.equity(venue.accounts, FUND)).toBe(0)
    expect(venue.accounts.position(FUND, 0)).toBe(6)
  })
})

describe('gap risk', () => {
  it('a liquidation delay lets an account cross bankruptcy before its first step: Underwater, then the step', () => {
    // At 94 the long is liquidatable (equity 90 < 94); its first step waits 500 ms; meanwhile the
    // oracle gaps to 70: the step finds equity −150. The fund takes 6 at 70 after 4 @ 90 and pays 70.
    const venue = world(1000, { liquidationDelayMs: 500 }, [[90, 4]])
    const found = step(venue, [oraclePrice(2, TEST, 94, -1)])
    expect(strip(found)).toEqual([
      { kind: 'MarkPrice', instrument: 0, priceTicks: 94 },
      { kind: 'LiquidationDeferred', account: LONG, dueMs: 502 },
    ])
    expect(strip(step(venue, [oraclePrice(300, TEST, 70, -1)]))).toEqual([{ kind: 'MarkPrice', instrument: 0, priceTicks: 70 }])
    expect(venue.margin.equity(venue.accounts, LONG)).toBe(-150) // waiting: exempt from the no-negative-equity check until its wake
    const woken = step(venue, [liquidationWake(502, LONG, found.at(-1)!.seq)])
    expect(strip(woken).slice(1, 3)).toEqual([
      { kind: 'Underwater', account: LONG, equity: -150, maintenanceMargin: 70 },
      { kind: 'Liquidation', account: LONG, equity: -150, maintenanceMargin: 70, mode: 'full' },
    ])
    expect(strip(woken).at(-1)).toEqual({ kind: 'DeficitResolved', account: LONG, deficit: 70, collateral: 0, fund: 70, socialized: 0, adl: 0, badDebt: 0 })
  })
})
