// Losses beyond the insurance fund, hand-computed on the crafted venue (1 lot·tick = 1 cash unit,
// maintenance 10%, initial 20%, band 50%, penalty 5%, no fees), every step full.
//
// The long L (10 @ 100, 150 deposited: cash −850) gaps to mark 70: equity −150, bankruptcy price
// 70 + 150/10 = 85. Opposite it, four shorts with different profit and leverage:
//
//   account  short      deposit  PnL at 70   PnL%     equity  notional  eff. leverage  score
//   S1       10 @ 100   10,000   +300        0.3      10,300  700       0.0680         +0.0204
//   S2        4 @ 100      500   +120        0.3         620  280       0.4516         +0.1355
//   S3        3 @  80      300    +30        0.125       330  210       0.6364         +0.0795
//   S4        2 @  60      200    −20       −0.1667      180  140       0.7778         −0.2143
//
// score = PnL% × leverage when PnL% > 0, PnL% / leverage otherwise (BitMEX/Binance/MEXC ADL
// ranking; leverage = notional / equity), so the ADL queue is S2, S3, S1, S4.

import { describe, expect, it } from 'vitest'
import { blockTrade, deposit, openAccount, oraclePrice, placeOrder, type VenueEvent } from '../../engine/events.js'
import { checkInvariants, checkNoNegativeEquity } from '../../engine/invariants.js'
import type { LiquidationConfig } from '../../engine/liquidation/liquidation_config.js'
import { applyAll, craftedVenueConfig, Venue } from '../helpers/small_world.js'

const FUND = 0
const L = 1
const S1 = 2
const S2 = 3
const S3 = 4
const S4 = 5
const BIG = 6
const MAKER = 7
const TEST = 1

function world(fund: number, liquidation: Partial<LiquidationConfig>, bids: [number, number][]): Venue {
  const venue = new Venue(craftedVenueConfig({}, { fullBelowHealth: 1, ...liquidation }))
  venue.afterEvent = () => {
    const problem = checkInvariants(venue, true)
    if (problem) throw new Error(problem)
  }
  const open = (a: number, amount: number) => [openAccount(0, a), ...(amount > 0 ? [deposit(0, a, amount)] : [])]
  applyAll(venue, [
    ...open(FUND, fund), ...open(L, 150), ...open(S1, 10_000), ...open(S2, 500), ...open(S3, 300), ...open(S4, 200),
    ...open(BIG, 10_000), ...open(MAKER, 100_000),
    oraclePrice(0, TEST, 100, -1),
    blockTrade(0, 0, L, S1, 100, 10), blockTrade(0, 0, BIG, S2, 100, 4), blockTrade(0, 0, BIG, S3, 80, 3), blockTrade(0, 0, BIG, S4, 60, 2),
    ...bids.map(([price, lots]) => placeOrder(1, MAKER, 0, 'buy', 'limit', price, lots)),
  ])
  return venue
}

const after = (events: VenueEvent[], kind: string) => events.slice(events.findIndex((e) => e.kind === kind))
const strip = (events: VenueEvent[]) => events.map((e) => {
  const { seq: _s, t: _t, cause: _c, ...rest } = e as VenueEvent & Record<string, unknown>
  return rest
})

describe('auto-deleveraging when the fund is exhausted', () => {
  it('reduces opposing positions in rank order at the bankruptcy price of what is left', () => {
    // Fund 0: exhausted, so the liquidation order is limited at the bankruptcy price 85 (not the
    // band's 35): only the stale 4 @ 90 bid fills → cash −490, 6 lots left, equity −70.
    // The backstop has no room; the 6 lots go to the ADL queue at 70 + 70/6 = 81.67 → 82 (rounded
    // in L's favour): S2 all 4, S3 2 of 3. L's cash −490 + 6·82 = 2; the penalty (35 due) takes it.
    const venue = world(0, {}, [[90, 4], [60, 10]])
    const events = applyAll(venue, [oraclePrice(2, TEST, 70, -1)])
    expect(strip(after(events, 'Liquidation'))).toEqual([
      { kind: 'Liquidation', account: L, equity: -150, maintenanceMargin: 70, mode: 'full' },
      expect.objectContaining({ kind: 'Fill', taker: L, priceTicks: 90, lots: 4 }),
      { kind: 'AutoDeleverage', account: S2, bankrupt: L, instrument: 0, side: 'buy', priceTicks: 82, lots: 4, rank: 1 },
      { kind: 'AutoDeleverage', account: S3, bankrupt: L, instrument: 0, side: 'buy', priceTicks: 82, lots: 2, rank: 2 },
      // ADL at the bankruptcy price took L from −70 to +2: it absorbed the whole deficit
      { kind: 'DeficitResolved', account: L, deficit: 70, collateral: 0, fund: 0, socialized: 0, adl: 70, badDebt: 0 },
      { kind: 'LiquidationPenalty', account: L, amount: 2 },
    ])
    const liquidation = events.find((e) => e.kind === 'Liquidation')!
    for (const e of events.filter((x) => x.kind === 'AutoDeleverage')) expect(e.cause).toBe(liquidation.seq)
    expect(venue.accounts.position(S2, 0)).toBe(0)
    expect(venue.accounts.position(S3, 0)).toBe(-1)
    expect(venue.accounts.position(S1, 0)).toBe(-10)
    expect(venue.accounts.cash[S2]).toBe(500 + 400 - 4 * 82)
    expect(venue.badDebtTotal).toBe(0)
    expect(checkNoNegativeEquity(venue)).toBeNull()
  })

  it('lets the backstop take what its free capital allows and deleverages the rest', () => {
    // Fund 30: not exhausted, so the band (35) applies; the only bid, 4 @ 90, fills: cash −490,
    // 6 left. Free capital 30 fits the initial margin of 2 lots (2·70·20% = 28), not 3 (42):
    // BackstopTakeover 2 @ 70 → cash −350, 4 left, equity −70 → ADL 4 @ 70 + 70/4 = 87.5 → 88,
    // all from S2 (first in the queue). Cash −350 + 352 = 2 → penalty 2.
    const venue = world(30, {}, [[90, 4]])
    const events = applyAll(venue, [oraclePrice(2, TEST, 70, -1)])
    expect(strip(after(events, 'Fill'))).toEqual([
      expect.objectContaining({ kind: 'Fill', priceTicks: 90, lots: 4 }),
      { kind: 'BackstopTakeover', account: L, instrument: 0, side: 'sell', priceTicks: 70, lots: 2 },
      { kind: 'AutoDeleverage', account: S2, bankrupt: L, instrument: 0, side: 'buy', priceTicks: 88, lots: 4, rank: 1 },
      { kind: 'DeficitResolved', account: L, deficit: 70, collateral: 0, fund: 0, socialized: 0, adl: 70, badDebt: 0 },
      { kind: 'LiquidationPenalty', account: L, amount: 2 },
    ])
    expect(venue.accounts.position(FUND, 0)).toBe(2)
  })

  it('keeps the fund\'s reserve: it pays deficits only above fundReserve, the rest is bad debt', () => {
    // Fund 1,000 with reserve 950. Fills 4 @ 90 and 6 @ 60 (below the bankruptcy price 85):
    // cash −850 + 360 + 360 = −130. The fund pays 1,000 − 950 = 50; bad debt 80.
    const venue = world(1000, { fundReserve: 950 }, [[90, 4], [60, 6]])
    const events = applyAll(venue, [oraclePrice(2, TEST, 70, -1)])
    expect(strip(events.slice(-3))).toEqual([
      { kind: 'FundPayout', account: L, amount: 50 },
      { kind: 'BadDebt', account: L, amount: 80 },
      { kind: 'DeficitResolved', account: L, deficit: 130, collateral: 0, fund: 50, socialized: 0, adl: 0, badDebt: 80 },
    ])
  })
})

describe('socialised loss', () => {
  it('spreads the deficit the fund cannot pay over the opposing holders, pro rata to their lots', () => {
    // Fund 0, 'socialized': no bankruptcy limit, 4 @ 90 fill; the backstop takes the other 6 @ 70
    // whatever its capital → cash −490 + 420 = −70, no penalty. The fund's free capital is
    // 0 − 6·70·20% < 0: it pays nothing. 70 over the shorts' 19 lots: floor(70·10/19) = 36,
    // floor(70·4/19) = 14, floor(70·3/19) = 11, floor(70·2/19) = 7 (68), and the 2 units lost
    // to flooring go to the first holders in account order: S1 37, S2 15, S3 11, S4 7.
    const venue = world(0, { deficitMode: 'socialized' }, [[90, 4]])
    const events = applyAll(venue, [oraclePrice(2, TEST, 70, -1)])
    expect(strip(events.filter((e) => e.kind === 'SocializedLoss'))).toEqual([
      { kind: 'SocializedLoss', account: S1, bankrupt: L, instrument: 0, amount: 37 },
      { kind: 'SocializedLoss', account: S2, bankrupt: L, instrument: 0, amount: 15 },
      { kind: 'SocializedLoss', account: S3, bankrupt: L, instrument: 0, amount: 11 },
      { kind: 'SocializedLoss', account: S4, bankrupt: L, instrument: 0, amount: 7 },
    ])
    expect(events.some((e) => e.kind === 'BadDebt' || e.kind === 'AutoDeleverage')).toBe(false)
    expect(venue.accounts.cash[L]).toBe(0)
    expect(venue.accounts.position(FUND, 0)).toBe(6)
    expect(venue.badDebtTotal).toBe(0)
  })

  it('covers a deficit larger than the fund in full when the holders can pay it', () => {
    // Gap to 20 with no bids: the backstop takes all 10 @ 20 → L's cash −850 + 200 = −650. The
    // shorts (all profitable at 20) pay it pro rata; nothing is left as bad debt.
    const venue = world(0, { deficitMode: 'socialized' }, [])
    const events = applyAll(venue, [oraclePrice(2, TEST, 20, -1)])
    const charged = events.filter((e) => e.kind === 'SocializedLoss').reduce((n, e) => n + (e as { amount: number }).amount, 0)
    expect(charged).toBe(650)
    expect(venue.badDebtTotal).toBe(0)
    expect(checkNoNegativeEquity(venue)).toBeNull()
  })
})
