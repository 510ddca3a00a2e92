// Partial liquidation, hand-computed on the crafted venue (1 lot·tick = 1 cash unit, maintenance
// 10%, initial 20%, band 50%, penalty 5%, no fees) with the default rules: target health 1.25,
// full liquidation below health 2/3, one partial step per 1,000 ms.
//
// Sizing (engine/liquidation/partial_close.ts): closing q lots at mark M with penalty rate r moves
// equity E → E − r·q·M and maintenance MM → MM − m·q·M (flat rate m), so the least q with
// E(q) ≥ H·MM(q) is q = ceil((H·MM − E) / (M·(H·m − r))).

import { describe, expect, it } from 'vitest'
import { blockTrade, deposit, liquidationWake, openAccount, oraclePrice, placeOrder, type VenueEvent } from '../../engine/events.js'
import { checkInvariants, checkNoNegativeEquity } from '../../engine/invariants.js'
import { lotsToTargetHealth, stepLotsMax } from '../../engine/liquidation/partial_close.js'
import type { LiquidationConfig } from '../../engine/liquidation/liquidation_config.js'
import { applyAll, craftedInstrument, craftedVenueConfig, Venue } from '../helpers/small_world.js'

const FUND = 0
const LONG = 1
const SHORT = 2
const MAKER = 3
const TEST = 1

/** A venue with the fund (`fund`), a 10-lot long at 100 holding 150 (cash −850), its short, and a maker bidding `bids`. */
function venueWith(liquidation?: Partial<LiquidationConfig>, bids: [number, number][] = [], fund = 1000): Venue {
  const venue = new Venue(craftedVenueConfig({}, liquidation))
  venue.afterEvent = () => {
    const problem = checkInvariants(venue, true)
    if (problem) throw new Error(problem)
  }
  applyAll(venue, [
    openAccount(0, FUND), ...(fund > 0 ? [deposit(0, FUND, fund)] : []),
    openAccount(0, LONG), deposit(0, LONG, 150),
    openAccount(0, SHORT), deposit(0, SHORT, 10_000),
    openAccount(0, MAKER), deposit(0, MAKER, 100_000),
    oraclePrice(0, TEST, 100, -1),
    blockTrade(0, 0, LONG, SHORT, 100, 10),
    ...bids.map(([price, lots]) => placeOrder(1, MAKER, 0, 'buy', 'limit', price, lots)),
  ])
  return venue
}

const strip = (events: VenueEvent[]) => events.map((e) => {
  const { seq: _s, t: _t, cause: _c, ...rest } = e as VenueEvent & Record<string, unknown>
  return rest
})

describe('partial liquidation to the target health', () => {
  it('closes just enough to restore health 1.25, charges the penalty on that, and stops', () => {
    // Mark 94: E = −850 + 940 = 90, MM = 94, health 0.957 (≥ 2/3: partial).
    // q = ceil((1.25·94 − 90) / (94·(0.125 − 0.05))) = ceil(27.5 / 7.05) = ceil(3.90) = 4.
    // Sell 4 @ 94: cash −850 + 376 = −474; penalty floor(4·94·5%) = floor(18.8) = 18 → −492.
    // After: 6 lots, E = −492 + 564 = 72, MM = 56.4, health 1.277 ≥ 1: no further step.
    const venue = venueWith(undefined, [[94, 4], [90, 10]])
    const events = applyAll(venue, [oraclePrice(2, TEST, 94, -1)])
    expect(strip(events.slice(1))).toEqual([
      { kind: 'MarkPrice', instrument: 0, priceTicks: 94 },
      { kind: 'Liquidation', account: LONG, equity: 90, maintenanceMargin: 94, mode: 'partial' },
      expect.objectContaining({ kind: 'Fill', taker: LONG, priceTicks: 94, lots: 4, liquidation: true }),
      { kind: 'LiquidationPenalty', account: LONG, amount: 18 },
    ])
    expect(venue.accounts.position(LONG, 0)).toBe(6)
    expect(venue.accounts.cash[LONG]).toBe(-492)
    expect(venue.margin.health(venue.accounts, LONG)).toBeCloseTo(72 / 56.4, 12)
    expect(venue.accounts.cash[FUND]).toBe(1018)
  })

  it('waits out the step interval: a later drop asks for a wake-up, whose step names that drop as its cause', () => {
    const venue = venueWith(undefined, [[94, 4], [90, 10]])
    applyAll(venue, [oraclePrice(2, TEST, 94, -1)])
    // Mark 90 at t = 500: E = −492 + 540 = 48, MM = 54, health 0.889 — but the next partial step
    // is not due before 2 + 1000 = 1002 ms.
    const waiting = applyAll(venue, [oraclePrice(500, TEST, 90, -1)])
    expect(strip(waiting.slice(1))).toEqual([
      { kind: 'MarkPrice', instrument: 0, priceTicks: 90 },
      { kind: 'LiquidationDeferred', account: LONG, dueMs: 1002 },
    ])
    // A further price change before then asks for nothing new (the wake-up is pending).
    expect(strip(applyAll(venue, [oraclePrice(600, TEST, 91, -1), oraclePrice(700, TEST, 90, -1)])).map((e) => e.kind))
      .toEqual(['OraclePrice', 'MarkPrice', 'OraclePrice', 'MarkPrice'])
    // The wake-up at 1002: q = ceil((1.25·54 − 48) / (90·0.075)) = ceil(19.5 / 6.75) = ceil(2.89) = 3.
    // Sell 3 @ 90: cash −492 + 270 = −222; penalty floor(3·90·5%) = floor(13.5) = 13 → −235.
    // After: 3 lots, E = −235 + 270 = 35, MM = 27, health 1.296.
    const deferred = waiting[2]!
    const woken = applyAll(venue, [liquidationWake(1002, LONG, deferred.seq)])
    expect(strip(woken.slice(1))).toEqual([
      { kind: 'Liquidation', account: LONG, equity: 48, maintenanceMargin: 54, mode: 'partial' },
      expect.objectContaining({ kind: 'Fill', priceTicks: 90, lots: 3 }),
      { kind: 'LiquidationPenalty', account: LONG, amount: 13 },
    ])
    // The first episode ended when the account was healthy again; the drop to 90 started a new
    // one, and the step that waited for the interval names that MarkPrice, not the wake-up.
    expect(woken[1]!.cause).toBe(waiting[1]!.seq)
    expect(venue.accounts.position(LONG, 0)).toBe(3)
    expect(venue.accounts.cash[LONG]).toBe(-235)
    expect(checkNoNegativeEquity(venue)).toBeNull()
  })

  it('liquidates in full, without waiting, below health 2/3', () => {
    // Mark 91: E = 60, MM 91, health 0.66 < 2/3 → full: sell all 10 into the 10 @ 91 bid.
    const venue = venueWith(undefined, [[91, 10]])
    const events = applyAll(venue, [oraclePrice(2, TEST, 91, -1)])
    expect(events[2]).toMatchObject({ kind: 'Liquidation', mode: 'full', equity: 60, maintenanceMargin: 91 })
    expect(venue.accounts.position(LONG, 0)).toBe(0)
    // cash −850 + 910 = 60, penalty floor(10·91·5%) = 45 → 15
    expect(venue.accounts.cash[LONG]).toBe(15)
  })

  it('caps a step at stepShareMax of the position', () => {
    // As the first test, but at most 20% (2 lots) a step: 2 @ 94, penalty floor(9.4) = 9:
    // cash −850 + 188 − 9 = −671, 8 lots, E = 81 ≥ MM 75.2 — health 1.08 < 1.25, but above 1: no wake-up.
    const venue = venueWith({ curves: [{ shape: 'table', points: [{ ...point(), stepShareMax: 0.2 }] }] }, [[94, 10]])
    const events = applyAll(venue, [oraclePrice(2, TEST, 94, -1)])
    expect(strip(events.slice(2))).toEqual([
      { kind: 'Liquidation', account: LONG, equity: 90, maintenanceMargin: 94, mode: 'partial' },
      expect.objectContaining({ kind: 'Fill', lots: 2 }),
      { kind: 'LiquidationPenalty', account: LONG, amount: 9 },
    ])
    expect(venue.margin.equity(venue.accounts, LONG)).toBe(81)
  })

  it('escalates to a full step when a partial one can close nothing (no bids, no room in the fund)', () => {
    // Fund 0: the backstop cannot take anything ('adl' mode), so the partial step closes nothing;
    // the full step that follows deleverages the short at the long's bankruptcy price:
    // E = 90 → P = 94 − 90/10 = 85; the long's cash −850 + 850 = 0.
    const venue = venueWith(undefined, [], 0)
    const events = applyAll(venue, [oraclePrice(2, TEST, 94, -1)])
    expect(events.filter((e) => e.kind === 'Liquidation').map((e) => (e as { mode: string }).mode)).toEqual(['partial', 'full'])
    expect(events.at(-1)).toMatchObject({ kind: 'AutoDeleverage', account: SHORT, bankrupt: LONG, priceTicks: 85, lots: 10, rank: 1 })
    expect(venue.accounts.cash[LONG]).toBe(0)
  })
})

describe('partial close sizing', () => {
  it('matches the closed form on a flat rate and returns 0 / all at the edges', () => {
    const venue = venueWith(undefined, [])
    applyAll(venue, [oraclePrice(1, TEST, 100, -1)])
    const { margin, accounts } = venue
    margin.markTicks[0] = 94
    expect(lotsToTargetHealth(margin, accounts, LONG, 0, 1.25, 0.05)).toBe(4)
    expect(lotsToTargetHealth(margin, accounts, LONG, 0, 1.25, 0.125)).toBe(10) // H·m = r: closing never helps
    margin.markTicks[0] = 100 // E 150, MM 100: health 1.5 already
    expect(lotsToTargetHealth(margin, accounts, LONG, 0, 1.25, 0.05)).toBe(0)
  })

  it('caps by share and by notional, never below one lot', () => {
    expect(stepLotsMax(10, 94, 0.2, Number.MAX_SAFE_INTEGER)).toBe(2)
    expect(stepLotsMax(10, 94, 1, 300)).toBe(3)
    expect(stepLotsMax(10, 94, 0.01, 300)).toBe(1)
    expect(stepLotsMax(10, 94, 1, Number.MAX_SAFE_INTEGER)).toBe(10)
  })
})

describe('cross pools: which position first', () => {
  // Account 1 holds 10 A (MM 10%) and 4 B (MM 25%) at 100, with 250 deposited: E 250, MM 200.
  function twoPositions(crossOrder: 'largest' | 'riskiest'): Venue {
    const config = craftedVenueConfig({}, { crossOrder, fullBelowHealth: 0.5 })
    config.instruments.push(craftedInstrument({ symbol: 'B-PERP', maintenanceMarginRate: 0.25, initialMarginRate: 0.5 }))
    config.liquidation!.curves.push(config.liquidation!.curves[0]!)
    const venue = new Venue(config)
    applyAll(venue, [
      openAccount(0, FUND), deposit(0, FUND, 10_000), openAccount(0, 1), deposit(0, 1, 250),
      openAccount(0, 2), deposit(0, 2, 10_000), openAccount(0, 3), deposit(0, 3, 100_000),
      oraclePrice(0, TEST, 100, -1), blockTrade(0, 0, 1, 2, 100, 10), blockTrade(0, 1, 1, 2, 100, 4),
      placeOrder(1, 3, 0, 'buy', 'limit', 80, 100), placeOrder(1, 3, 1, 'buy', 'limit', 80, 100),
    ])
    return venue
  }

  it('closes the largest notional first, or the riskiest (highest maintenance rate) first', () => {
    // Both perps are on TEST. Mark 90: E = 250 − 140 = 110, MM = 90 + 90 = 180, health 0.61 ≥ 0.5.
    const largest = twoPositions('largest')
    const a = applyAll(largest, [oraclePrice(2, TEST, 90, -1)]).find((e) => e.kind === 'Fill')
    expect(a).toMatchObject({ instrument: 0 })
    const riskiest = twoPositions('riskiest')
    const b = applyAll(riskiest, [oraclePrice(2, TEST, 90, -1)]).find((e) => e.kind === 'Fill')
    expect(b).toMatchObject({ instrument: 1 })
  })
})

function point() {
  return { notional: Number.MAX_SAFE_INTEGER, penaltyRate: 0.05, bandRate: 0.5, targetHealth: 1.25, stepShareMax: 1, stepNotionalMax: Number.MAX_SAFE_INTEGER }
}
