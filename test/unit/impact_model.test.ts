// The parametric impact models against their formulas, computed by hand:
//  - linear, Kyle (1985) "Continuous Auctions and Insider Trading", Econometrica 53(6): Δp = λ·Q;
//  - square root, Tóth et al. (2011) "Anomalous price impact and the critical nature of
//    liquidity in financial markets", Phys. Rev. X 1, 021006: Δp/p = Y·σ·√(Q/V);
// an order walking the marginal curve fills at its average (λQ/2, or (2/3)·I(Q)); a transient part
// halves every half-life. Then the same models as an instrument's execution inside the venue.

import { describe, expect, it } from 'vitest'
import { blockTrade, deposit, openAccount, oraclePrice, placeOrder } from '../../engine/events.js'
import {
  averageImpactTicks, ImpactState, impactTicks, lotsWithin, type ImpactModelConfig,
} from '../../engine/market/impact_model.js'
import { applyAll } from '../helpers/small_world.js'
import { craftedMarketVenue, fundedVenue } from '../helpers/market_venue.js'

const linear: ImpactModelConfig = { model: 'linear', ticksPerLot: 0.5, y: 1, dailyVolatility: 0, dailyVolumeLots: 1, transientShare: 0, halfLifeMs: 0 }
const sqrt: ImpactModelConfig = { model: 'square_root', ticksPerLot: 0, y: 0.8, dailyVolatility: 0.04, dailyVolumeLots: 1_000_000, transientShare: 0, halfLifeMs: 0 }

describe('impact model formulas', () => {
  it('linear: I(Q) = λ·Q, average fill λ·Q/2, lots within a budget = floor(budget/λ)', () => {
    expect(impactTicks(linear, 40, 10_000)).toBe(20)
    expect(averageImpactTicks(linear, 40, 10_000)).toBe(10)
    expect(lotsWithin(linear, 20, 10_000)).toBe(40)
    expect(lotsWithin(linear, 19.9, 10_000)).toBe(39)
    expect(lotsWithin({ ...linear, ticksPerLot: 0 }, 5, 10_000)).toBe(Infinity)
  })

  it('square root: I(Q) = Y·σ·P·√(Q/V), average (2/3)·I(Q), inverse V·(I/(YσP))²', () => {
    // 0.8 · 0.04 · 50,000 · √(10,000 / 1,000,000) = 1600 · 0.1 = 160 ticks
    expect(impactTicks(sqrt, 10_000, 50_000)).toBeCloseTo(160, 10)
    expect(averageImpactTicks(sqrt, 10_000, 50_000)).toBeCloseTo(320 / 3, 10)
    // budget 160 ticks → (160/1600)² · 1e6 = 10,000 lots
    expect(lotsWithin(sqrt, 160, 50_000)).toBe(10_000)
    expect(lotsWithin(sqrt, 40, 50_000)).toBe(625) // (40/1600)² · 1e6
  })

  it('a transient part halves every half-life; the permanent part stays', () => {
    const state = new ImpactState({ ...linear, transientShare: 0.75, halfLifeMs: 1000 })
    state.displace(0, -40) // 10 permanent, 30 transient
    expect(state.permanentTicks).toBe(-10)
    expect(state.offsetAt(0)).toBe(-40)
    expect(state.offsetAt(1000)).toBeCloseTo(-10 - 15, 12)
    expect(state.offsetAt(3000)).toBeCloseTo(-10 - 3.75, 12)
    state.displace(1000, -8) // transient 15 + 6 at t=1000, permanent 12
    expect(state.offsetAt(2000)).toBeCloseTo(-12 - 10.5, 12)
  })
})

describe('an instrument executed against an impact model', () => {
  const MARKET = 1 // the model's counterparty
  const TAKER = 2

  function venueWith(impact: Partial<ImpactModelConfig>, model: 'linear' | 'square_root' = 'linear') {
    // accounts: FUND, MARKET (the counterparty), TAKER
    return fundedVenue(craftedMarketVenue({ execution: { model, counterparty: MARKET }, impact, mark: { method: 'impact_mid' } }), [1000, 1e9, 1e8])
  }

  it('linear: a market sell of Q fills at P − λQ/2 and moves the mark by λQ', () => {
    const venue = venueWith({ ticksPerLot: 0.5 })
    const events = applyAll(venue, [placeOrder(1, TAKER, 0, 'sell', 'market', 0, 40)])
    const fill = events.find((e) => e.kind === 'Fill')
    expect(fill).toMatchObject({ taker: TAKER, maker: MARKET, makerOrderId: -1, priceTicks: 10_000 - 10, lots: 40 })
    expect(events.find((e) => e.kind === 'MarkPrice')).toMatchObject({ priceTicks: 10_000 - 20, cause: fill!.seq })
    expect(venue.margin.markTicks[0]).toBe(9980)
    expect(venue.accounts.position(MARKET, 0)).toBe(40)
  })

  it('square root: a market buy fills at P + (2/3)·Y·σ·P·√(Q/V), rounded a tick against the taker', () => {
    const venue = venueWith({ y: 1, dailyVolatility: 0.02, dailyVolumeLots: 1_000_000 }, 'square_root')
    // I = 1 · 0.02 · 10,000 · √(2,500/1e6) = 200 · 0.05 = 10 ticks; average 6.67 → 10,007
    const events = applyAll(venue, [placeOrder(1, TAKER, 0, 'buy', 'market', 0, 2500)])
    expect(events.find((e) => e.kind === 'Fill')).toMatchObject({ priceTicks: 10_007, lots: 2500 })
    expect(venue.margin.markTicks[0]).toBe(10_010)
  })

  it('an IOC fills only the lots whose marginal price stays within its limit; limit orders are rejected', () => {
    const venue = venueWith({ ticksPerLot: 0.5 })
    // limit 9990: marginal price 10,000 − 0.5·x ≥ 9990 → x ≤ 20
    const events = applyAll(venue, [placeOrder(1, TAKER, 0, 'sell', 'ioc', 9990, 50), placeOrder(2, TAKER, 0, 'buy', 'limit', 9000, 1)])
    expect(events.find((e) => e.kind === 'Fill')).toMatchObject({ lots: 20, priceTicks: 9995 })
    expect(events.find((e) => e.kind === 'OrderCancelled')).toMatchObject({ lots: 30, reason: 'unfilled' })
    expect(events.find((e) => e.kind === 'OrderRejected')).toMatchObject({ reason: 'no_book' })
  })

  it('the mark follows the model after the oracle moves (reference = oracle, displacement kept)', () => {
    const venue = venueWith({ ticksPerLot: 1 })
    applyAll(venue, [placeOrder(1, TAKER, 0, 'sell', 'market', 0, 30), oraclePrice(2, 1, 10_100, -1)])
    expect(venue.margin.markTicks[0]).toBe(10_070)
  })

  it('liquidations execute against the model through takeLiquidity, and re-mark round by round', () => {
    const venue = venueWith({ ticksPerLot: 1 })
    const LONG = 3
    applyAll(venue, [openAccount(0, LONG), deposit(0, LONG, 15_000), blockTrade(0, 0, LONG, TAKER, 10_000, 10)])
    // equity 15,000 + 10·(P − 10,000) < MM = P  ⇔  P < 9444.4: a drop to 9000 liquidates it
    const events = applyAll(venue, [oraclePrice(3, 1, 9000, -1)])
    const liquidationFill = events.find((e) => e.kind === 'Fill' && e.liquidation)
    expect(liquidationFill).toMatchObject({ taker: LONG, maker: MARKET, lots: 10, priceTicks: 9000 - 5 })
    expect(venue.margin.markTicks[0]).toBe(8990)
  })
})
