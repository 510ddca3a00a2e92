// The market maker's depth dynamics (refill at a resilience, widening with realised volatility,
// withdrawal past volatility or inventory limits) and the arbitrageur (trades toward the external
// price within its capital, on a book or an impact model), on crafted venues with hand-computed
// sizes; the maker's inventory skew and hedges, and the arbitrageur's hedges and causes. Agents'
// intents are applied as inputs directly, without latency.

import { describe, expect, it } from 'vitest'
import { blockTrade, cancelOrder, externalPrice, oraclePrice, placeOrder, type InputEvent } from '../../engine/events.js'
import { VenueView } from '../../engine/venue_view.js'
import type { AgentAction } from '../../agents/agent.js'
import { Arbitrageur, type ArbitrageurParams } from '../../agents/arbitrageur.js'
import { MarketMaker, type MarketMakerParams } from '../../agents/market_maker.js'
import { applyAll, craftedVenueConfig, Venue } from '../helpers/small_world.js'
import { craftedMarketVenue, fundedVenue } from '../helpers/market_venue.js'

const AGENT = 1
const TAKER = 2
const MARKET = 3

function world(config = craftedVenueConfig()) {
  const venue = fundedVenue(config, [1000, 1e7, 1e9, 1e12]) // FUND, AGENT, TAKER, MARKET
  const clock = { now: 0 }
  /** Applies an agent's intents at time `t` (no latency). */
  const act = (action: AgentAction, t: number) => {
    clock.now = t
    const inputs: InputEvent[] = [
      ...(action.cancels ?? []).map((c) => cancelOrder(t, c.account, c.instrument, c.orderId)),
      ...(action.orders ?? []).map((o) => placeOrder(t, o.account, o.instrument, o.side, o.type, o.priceTicks, o.lots)),
    ]
    return applyAll(venue, inputs)
  }
  const view = (t: number) => {
    clock.now = t
    return new VenueView(venue, clock, null).scoped([AGENT])
  }
  return { venue, act, view, clock }
}

const MAKER: MarketMakerParams = {
  instrument: 0, levels: 2, spacingTicks: 10, halfSpreadTicks: 5, lotsPerLevel: 100, refreshMs: 1000, maxInventoryLots: 10_000,
  resilience: 0.5, calmVolatility: 0, volatilityHalfLifeMs: 1000, withdrawVolatility: 0, withdrawInventoryLots: 0, reference: 'oracle',
}

/** Lots the agent rests at each price, bids and asks. */
function ladder(venue: Venue): Record<number, number> {
  const out: Record<number, number> = {}
  venue.books[0]!.forEachOrder((_id, account, _side, price, lots) => {
    if (account === AGENT) out[price] = (out[price] ?? 0) + lots
  })
  return out
}

describe('market maker depth dynamics', () => {
  it('quotes a full ladder, then refills a hit level by the resilience: f = 1 − (1 − 0.5)^1 = half of what is missing', () => {
    const { venue, act, view } = world()
    const maker = new MarketMaker('mm', [AGENT], MAKER)
    act(maker.onWake(view(1000)), 1000)
    expect(ladder(venue)).toEqual({ 9995: 100, 9985: 100, 10_005: 100, 10_015: 100 })
    applyAll(venue, [placeOrder(1500, TAKER, 0, 'sell', 'market', 0, 160)]) // takes 100 @ 9995 and 60 @ 9985
    act(maker.onWake(view(2000)), 2000)
    expect(ladder(venue)).toMatchObject({ 9995: 50, 9985: 40 + 30 }) // missing 100 → +50; missing 60 → +30
    act(maker.onWake(view(3000)), 3000)
    expect(ladder(venue)).toMatchObject({ 9995: 75, 9985: 85 })
  })

  it('resilience per second compounds over the refresh interval: ρ = 0.75 at 2 s refreshes restores 1 − 0.25² = 15/16', () => {
    const { venue, act, view } = world()
    const maker = new MarketMaker('mm', [AGENT], { ...MAKER, resilience: 0.75, refreshMs: 2000 })
    act(maker.onWake(view(1000)), 1000)
    applyAll(venue, [placeOrder(1500, TAKER, 0, 'sell', 'market', 0, 100)])
    act(maker.onWake(view(3000)), 3000)
    expect(ladder(venue)[9995]).toBe(Math.ceil((15 / 16) * 100))
  })

  it('widens spread and spacing with realised volatility above the calm level', () => {
    const { venue, act, view } = world()
    const maker = new MarketMaker('mm', [AGENT], { ...MAKER, calmVolatility: 0.001, volatilityHalfLifeMs: 1 })
    act(maker.onWake(view(1000)), 1000)
    expect(maker.realisedVolatility).toBeCloseTo(0.001, 12)
    // a 0.4% move in one second, with a half-life so short the estimate is that sample: σ̂ = 0.004 → 4× wider
    applyAll(venue, [oraclePrice(1500, 1, 10_040, -1)])
    act(maker.onWake(view(2000)), 2000)
    expect(maker.realisedVolatility).toBeCloseTo(0.004, 5)
    // spacing 40, half spread 20, grid round(10,040/40)·40 = 10,040
    expect(Object.keys(ladder(venue)).map(Number).sort((a, b) => a - b)).toEqual([9980, 10_020, 10_060, 10_100])
  })

  it('withdraws every quote past a volatility limit and comes back at the resilience', () => {
    const { venue, act, view } = world()
    const maker = new MarketMaker('mm', [AGENT], { ...MAKER, calmVolatility: 0.001, volatilityHalfLifeMs: 1, withdrawVolatility: 0.003 })
    act(maker.onWake(view(1000)), 1000)
    applyAll(venue, [oraclePrice(1500, 1, 10_040, -1)])
    act(maker.onWake(view(2000)), 2000)
    expect(maker.isWithdrawn).toBe(true)
    expect(ladder(venue)).toEqual({})
    act(maker.onWake(view(3000)), 3000) // calm again (no move): back, each level at half size
    expect(maker.isWithdrawn).toBe(false)
    expect(Object.values(ladder(venue))).toEqual([50, 50, 50, 50])
  })

  it('withdraws past an inventory limit, and stops quoting the adding side past maxInventoryLots', () => {
    const { venue, act, view } = world()
    const maker = new MarketMaker('mm', [AGENT], { ...MAKER, maxInventoryLots: 50, withdrawInventoryLots: 150 })
    act(maker.onWake(view(1000)), 1000)
    applyAll(venue, [placeOrder(1500, TAKER, 0, 'sell', 'market', 0, 60)]) // the maker is long 60 > 50
    act(maker.onWake(view(2000)), 2000)
    expect(Object.keys(ladder(venue)).map(Number).every((p) => p > 10_000)).toBe(true) // asks only
    applyAll(venue, [blockTrade(2500, 0, AGENT, TAKER, 10_000, 100)]) // long 160 > 150
    act(maker.onWake(view(3000)), 3000)
    expect(ladder(venue)).toEqual({})
  })
})

describe('market maker: quotes follow what it traded', () => {
  it('skews its ladder against inventory: κ = inventorySkew · spacing / lotsPerLevel ticks per lot', () => {
    const { venue, act, view } = world()
    const maker = new MarketMaker('mm', [AGENT], { ...MAKER, resilience: 1, inventorySkew: 0.5 })
    act(maker.onWake(view(1000)), 1000)
    applyAll(venue, [placeOrder(1500, TAKER, 0, 'sell', 'market', 0, 160)]) // the maker is long 160
    act(maker.onWake(view(2000)), 2000)
    // κ = 0.5 · 10 / 100 = 0.05 ticks per lot: centre 10,000 − 0.05 · 160 = 9,992 → grid 9,990
    expect(ladder(venue)).toEqual({ 9985: 100, 9975: 100, 9995: 100, 10_005: 100 })
    // without skew the same fills leave the ladder where it was (the book heals around the oracle)
    const flat = world()
    const still = new MarketMaker('mm', [AGENT], { ...MAKER, resilience: 1, inventorySkew: 0 })
    flat.act(still.onWake(flat.view(1000)), 1000)
    applyAll(flat.venue, [placeOrder(1500, TAKER, 0, 'sell', 'market', 0, 160)])
    flat.act(still.onWake(flat.view(2000)), 2000)
    expect(ladder(flat.venue)).toEqual({ 9995: 100, 9985: 100, 10_005: 100, 10_015: 100 })
  })

  it('hedges a fraction of its exposure on the reference market, naming the fill, and the skew shrinks', () => {
    const { venue, act, view } = world()
    const maker = new MarketMaker('mm', [AGENT], { ...MAKER, resilience: 1, inventorySkew: 1, hedgeRate: 0.5 })
    expect(maker.subscriptions).toEqual(['Fill'])
    act(maker.onWake(view(1000)), 1000)
    const fills = applyAll(venue, [placeOrder(1500, TAKER, 0, 'sell', 'market', 0, 100)])
    const fill = fills.find((e) => e.kind === 'Fill')!
    maker.onEvent(view(1500), fill)
    const action = maker.onWake(view(2000))
    // hedge fraction at 1 s refreshes: 1 − (1 − 0.5)^1 = ½ of the 100-lot exposure, sold outside
    expect(action.hedges).toEqual([{ account: AGENT, instrument: 0, lots: -50, cause: fill.seq }])
    expect(maker.exposure(view(2000))).toBe(50)
  })
})

const ARB: ArbitrageurParams = { instrument: 0, edgeRate: 0.001, maxLeverage: 2, lotsMax: 10_000, pollMs: 1000 }

describe('arbitrageur', () => {
  it('buys a book that is cheap against the external price, up to the edge price and the depth there', () => {
    const { venue, act, view } = world()
    applyAll(venue, [
      placeOrder(1, TAKER, 0, 'sell', 'limit', 9_900, 30), placeOrder(1, TAKER, 0, 'sell', 'limit', 9_985, 40),
      placeOrder(1, TAKER, 0, 'sell', 'limit', 9_995, 50), externalPrice(2, 1, 10_000, 10_000, -1),
    ])
    const arb = new Arbitrageur('arb', [AGENT], ARB)
    arb.start(view(2))
    // buy below floor(10,000 · 0.999) = 9990: 30 + 40 lots
    const action = arb.decide(view(2))
    expect(action.orders).toEqual([{ account: AGENT, instrument: 0, side: 'buy', type: 'ioc', priceTicks: 9_990, lots: 70 }])
    act(action, 3)
    expect(venue.accounts.position(AGENT, 0)).toBe(70)
    expect(arb.decide(view(4)).orders).toBeUndefined() // best ask 9995 now leaves no edge
  })

  it('is bounded by its capital: notional ≤ maxLeverage × equity', () => {
    const { venue, view } = world()
    applyAll(venue, [placeOrder(1, TAKER, 0, 'buy', 'limit', 10_200, 5000), externalPrice(2, 1, 10_000, 10_000, -1)])
    const arb = new Arbitrageur('arb', [AGENT], ARB)
    arb.start(view(2))
    // sell above ceil(10,000 · 1.001) = 10,010; equity 1e7, leverage 2 → floor(2e7 / 10,010) = 1998 lots
    expect(arb.decide(view(2)).orders).toEqual([{ account: AGENT, instrument: 0, side: 'sell', type: 'ioc', priceTicks: 10_010, lots: 1998 }])
  })

  it('hedges each venue fill on the reference market, and names a recent liquidation fill as its order\'s cause', () => {
    const { venue, view } = world()
    applyAll(venue, [placeOrder(1, TAKER, 0, 'sell', 'limit', 9_900, 30), externalPrice(2, 1, 10_000, 10_000, -1)])
    const arb = new Arbitrageur('arb', [AGENT], ARB)
    arb.start(view(2))
    const liquidationFill = { kind: 'Fill' as const, seq: 7, t: 2, cause: 6, instrument: 0, taker: 9, maker: 8, makerOrderId: 1, side: 'sell' as const, priceTicks: 9_900, lots: 5, takerFee: 0, makerFee: 0, liquidation: true }
    expect(arb.onEvent(view(2), liquidationFill)).toBeUndefined() // not its fill: nothing to hedge
    expect(arb.decide(view(3)).orders?.[0]).toMatchObject({ side: 'buy', lots: 30, cause: 7 })
    expect(arb.decide(view(10_003)).orders?.[0]?.cause).toBeUndefined() // 10 s later it is no longer the cause
    const own = { ...liquidationFill, seq: 12, taker: AGENT, maker: TAKER, side: 'buy' as const, lots: 30, liquidation: false }
    expect(arb.onEvent(view(4), own)).toEqual({ hedges: [{ account: AGENT, instrument: 0, lots: -30, cause: 12 }] })
    expect(new Arbitrageur('arb', [AGENT], { ...ARB, hedge: false }).onEvent(view(4), own)).toBeUndefined()
  })

  it('trades an impact-model instrument back toward the external price', () => {
    const config = craftedMarketVenue({ execution: { model: 'linear', counterparty: MARKET }, impact: { ticksPerLot: 0.1 }, mark: { method: 'impact_mid' } })
    const { venue, act, view } = world(config)
    // a 1000-lot sale displaces the model by −100 ticks: mark 9900 while the outside is at 10,000
    applyAll(venue, [placeOrder(1, TAKER, 0, 'sell', 'market', 0, 1000), externalPrice(2, 1, 10_000, 10_000, -1)])
    expect(venue.margin.markTicks[0]).toBe(9_900)
    const arb = new Arbitrageur('arb', [AGENT], ARB)
    arb.start(view(2))
    // room to 9990: (9990 − 9900) / 0.1 = 900 lots, after which the model is at 9990
    const action = arb.decide(view(3))
    expect(action.orders).toEqual([{ account: AGENT, instrument: 0, side: 'buy', type: 'ioc', priceTicks: 9_990, lots: 900 }])
    act(action, 3)
    expect(venue.margin.markTicks[0]).toBe(9_990)
  })
})
